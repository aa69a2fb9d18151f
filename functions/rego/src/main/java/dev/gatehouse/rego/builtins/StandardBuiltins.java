package dev.gatehouse.rego.builtins;

import dev.gatehouse.rego.builtins.graphql.GraphQlBuiltins;

/** The list of builtin families: add one line per family. */
final class StandardBuiltins {

    private StandardBuiltins() {
    }

    static void register(BuiltinRegistry r) {
        OperatorBuiltins.register(r);
        AggregateBuiltins.register(r);
        StringBuiltins.register(r);
        TraversalBuiltins.register(r);
        UnitsBuiltins.register(r);
        RegexBuiltins.register(r);
        GlobBuiltins.register(r);
        NumberBuiltins.register(r);
        BitsBuiltins.register(r);
        CollectionBuiltins.register(r);
        TypeBuiltins.register(r);
        ObjectBuiltins.register(r);
        JsonBuiltins.register(r);
        EncodingBuiltins.register(r);
        SemverBuiltins.register(r);
        TimeBuiltins.register(r);
        CryptoBuiltins.register(r);
        NetBuiltins.register(r);
        UuidBuiltins.register(r);
        GraphBuiltins.register(r);
        JwtBuiltins.register(r);
        X509Builtins.register(r);
        AwsSigningBuiltins.register(r);
        RegoModuleBuiltins.register(r);
        KeyBuiltins.register(r);
        GoTemplate.register(r);
        GraphQlBuiltins.register(r);
        r.registerUnsupported("http.send", 1);
        r.registerUnsupported("net.lookup_ip_addr", 1);
    }
}
