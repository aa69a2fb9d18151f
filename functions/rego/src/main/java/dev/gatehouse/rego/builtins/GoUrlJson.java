package dev.gatehouse.rego.builtins;

import dev.gatehouse.rego.value.BooleanValue;
import dev.gatehouse.rego.value.NullValue;
import dev.gatehouse.rego.value.ObjectValue;
import dev.gatehouse.rego.value.StringValue;
import dev.gatehouse.rego.value.Value;

/** A URI from a certificate as Go's json.Marshal writes the *url.URL that url.Parse gives for it. */
final class GoUrlJson {

    private GoUrlJson() {
    }

    static Value of(String raw) throws BuiltinException {
        GoUrl u;
        try {
            u = GoUrl.parse(raw);
        } catch (BuiltinException e) {
            throw BuiltinException.error("x509: cannot parse URI " + GoFormat.quote(raw, false) + ": " + e.getMessage());
        }
        return ObjectValue.builder()
                .put("Scheme", StringValue.of(u.scheme()))
                .put("Opaque", StringValue.of(u.opaque()))
                .put("User", u.hasUser() ? ObjectValue.EMPTY : NullValue.NULL)
                .put("Host", StringValue.of(u.host()))
                .put("Path", StringValue.of(u.path()))
                .put("RawPath", StringValue.of(GoUrl.escapePath(u.path()).equals(u.rawPath()) ? "" : u.rawPath()))
                .put("OmitHost", BooleanValue.of(u.omitHost()))
                .put("ForceQuery", BooleanValue.of(u.forceQuery()))
                .put("RawQuery", StringValue.of(u.rawQuery()))
                .put("Fragment", StringValue.of(u.fragment()))
                .put("RawFragment", StringValue.of(""))
                .build();
    }
}
