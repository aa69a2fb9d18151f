package dev.gatehouse.rego.builtins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.rego.eval.RegoException;
import dev.gatehouse.rego.value.ValueJson;
import org.junit.jupiter.api.Test;

class RegoModuleBuiltinsTest {

    @Test
    void parsedModuleIsOpaAstJsonWithPackagePathImportsAndRuleHeads() throws Exception {
        var result = RegoSnippets.evalRule("""
                package t

                src := `package foo.bar

                import data.a
                import data.x.y as z

                default allow := false

                allow if { a = true }

                deny contains msg if { msg := "no" }
                `

                m := rego.parse_module("x.rego", src)

                p := [m["package"].path, m.imports, [r.head | some r in m.rules], m.rules[0]["default"], m.rules[1].body]
                """, "p");
        assertThat(result).isEqualTo(ValueJson.parse("""
                [[{"type": "var", "value": "data"}, {"type": "string", "value": "foo"}, {"type": "string", "value": "bar"}],
                 [{"path": {"type": "ref", "value": [{"type": "var", "value": "data"}, {"type": "string", "value": "a"}]}},
                  {"path": {"type": "ref", "value": [{"type": "var", "value": "data"}, {"type": "string", "value": "x"}, {"type": "string", "value": "y"}]},
                   "alias": "z"}],
                 [{"name": "allow", "ref": [{"type": "var", "value": "allow"}], "value": {"type": "boolean", "value": false}, "assign": true},
                  {"name": "allow", "ref": [{"type": "var", "value": "allow"}], "value": {"type": "boolean", "value": true}},
                  {"name": "deny", "ref": [{"type": "var", "value": "deny"}], "key": {"type": "var", "value": "msg"}}],
                 true,
                 [{"index": 0, "terms": [{"type": "ref", "value": [{"type": "var", "value": "eq"}]},
                                         {"type": "var", "value": "a"}, {"type": "boolean", "value": true}]}]]
                """));
    }

    @Test
    void callsComprehensionsAndSomeInUseOpaTermTypes() throws Exception {
        var result = RegoSnippets.evalRule("""
                package t

                m := rego.parse_module("x.rego", "package p\\n\\nf(x) := y if {\\n\\tsome k, v in x\\n\\ty := [k | k := count(v)]\\n}\\n")

                p := [m.rules[0].head.args, m.rules[0].body[0].terms.symbols[0].type, m.rules[0].body[0].terms.symbols[0].value[0],
                	m.rules[0].body[1].terms[2].type, m.rules[0].body[1].terms[2].value.body[0].terms[2].value[0]]
                """, "p");
        assertThat(result).isEqualTo(ValueJson.parse("""
                [[{"type": "var", "value": "x"}], "call",
                 {"type": "ref", "value": [{"type": "var", "value": "internal"}, {"type": "string", "value": "member_3"}]},
                 "arraycomprehension", {"type": "ref", "value": [{"type": "var", "value": "count"}]}]
                """));
    }

    @Test
    void unparsableSourceIsABuiltinErrorWithOpaParseErrorWording() {
        assertThatThrownBy(() -> RegoSnippets.evalRule("""
                package t

                p := rego.parse_module("x.rego", "package foo.")
                """, "p")).isInstanceOf(RegoException.class)
                .hasMessageContaining("eval_builtin_error: rego.parse_module: x.rego:1:13: rego_parse_error: unexpected eof token: expected ident");
    }
}
