package dev.gatehouse.rego.builtins;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JSON Schema (draft 4 to 7, as OPA's gojsonschema reads them) for {@code json.verify_schema} and
 * {@code json.match_schema}. Errors carry gojsonschema's type names and wording, because policies
 * compare them. Only local {@code $ref}s ({@code #}, {@code #/definitions/...}) are followed: a
 * policy never fetches a schema from the network.
 */
final class JsonSchema {

    /** One violation, in gojsonschema's terms: field path, error type, description. */
    record Error(String field, String type, String description) {
        String message() {
            return field + ": " + description;
        }
    }

    static final class InvalidSchemaException extends Exception {
        InvalidSchemaException(String message) {
            super(message);
        }
    }

    private static final List<String> TYPES = List.of("array", "boolean", "integer", "number", "null", "object", "string");
    private static final int MAX_REF_DEPTH = 64;

    private final JsonNode root;

    private JsonSchema(JsonNode root) {
        this.root = root;
    }

    static JsonSchema compile(JsonNode schema) throws InvalidSchemaException {
        if (!schema.isObject() && !schema.isBoolean()) {
            throw new InvalidSchemaException("Invalid type. Expected: object, given: " + typeOf(schema));
        }
        check(schema, schema, 0);
        return new JsonSchema(schema);
    }

    List<Error> validate(JsonNode document) {
        List<Error> errors = new ArrayList<>();
        validate(root, document, "(root)", errors, 0);
        return errors;
    }

    private static void check(JsonNode root, JsonNode schema, int depth) throws InvalidSchemaException {
        if (depth > 200) {
            throw new InvalidSchemaException("schema nests too deeply");
        }
        if (!schema.isObject()) {
            return;
        }
        JsonNode type = schema.get("type");
        if (type != null) {
            List<JsonNode> names = new ArrayList<>();
            if (type.isArray()) {
                type.forEach(names::add);
            } else {
                names.add(type);
            }
            for (JsonNode n : names) {
                if (!n.isTextual() || !TYPES.contains(n.asText())) {
                    throw new InvalidSchemaException("has a primitive type that is NOT VALID -- given: /" + n.asText()
                            + "/ Expected valid values are:" + "[" + String.join(" ", TYPES) + "]");
                }
            }
        }
        JsonNode required = schema.get("required");
        if (required != null && !(required.isArray() && allText(required))) {
            throw new InvalidSchemaException("Invalid type. Expected: array of strings, given: required");
        }
        JsonNode pattern = schema.get("pattern");
        if (pattern != null) {
            regex(pattern.asText());
        }
        JsonNode ref = schema.get("$ref");
        if (ref != null && resolve(root, ref.asText()) == null) {
            throw new InvalidSchemaException("Object has no key '" + ref.asText() + "'");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            switch (field.getKey()) {
                case "properties", "patternProperties", "definitions", "$defs", "dependencies" -> {
                    for (JsonNode sub : field.getValue()) {
                        check(root, sub, depth + 1);
                    }
                    if (field.getKey().equals("patternProperties")) {
                        for (Iterator<String> names = field.getValue().fieldNames(); names.hasNext(); ) {
                            regex(names.next());
                        }
                    }
                }
                case "items", "allOf", "anyOf", "oneOf" -> {
                    if (field.getValue().isArray()) {
                        for (JsonNode sub : field.getValue()) {
                            check(root, sub, depth + 1);
                        }
                    } else {
                        check(root, field.getValue(), depth + 1);
                    }
                }
                case "not", "additionalProperties", "additionalItems", "contains", "propertyNames", "if", "then", "else" ->
                        check(root, field.getValue(), depth + 1);
                default -> { }
            }
        }
    }

    private void validate(JsonNode schema, JsonNode value, String field, List<Error> errors, int depth) {
        if (schema.isBoolean()) {
            if (!schema.asBoolean()) {
                errors.add(new Error(field, "false", "False always fails validation"));
            }
            return;
        }
        if (!schema.isObject() || depth > MAX_REF_DEPTH * 4) {
            return;
        }
        JsonNode ref = schema.get("$ref");
        if (ref != null) {
            JsonNode target = resolve(root, ref.asText());
            if (target != null) {
                validate(target, value, field, errors, depth + 1);
            }
            return;
        }
        JsonNode type = schema.get("type");
        if (type != null && !typeMatches(type, value)) {
            errors.add(new Error(field, "invalid_type", "Invalid type. Expected: " + expected(type) + ", given: " + typeOf(value)));
            return;
        }
        JsonNode enumeration = schema.get("enum");
        if (enumeration != null && !contains(enumeration, value)) {
            List<String> options = new ArrayList<>();
            enumeration.forEach(o -> options.add(o.toString()));
            errors.add(new Error(field, "enum", field + " must be one of the following: " + String.join(", ", options)));
        }
        JsonNode constant = schema.get("const");
        if (constant != null && !equal(constant, value)) {
            errors.add(new Error(field, "const", field + " does not match: " + constant));
        }
        combinators(schema, value, field, errors, depth);
        if (value.isObject()) {
            object(schema, value, field, errors, depth);
        } else if (value.isArray()) {
            array(schema, value, field, errors, depth);
        } else if (value.isTextual()) {
            string(schema, value.asText(), field, errors);
        } else if (value.isNumber()) {
            number(schema, value.decimalValue(), field, errors);
        }
    }

    private void combinators(JsonNode schema, JsonNode value, String field, List<Error> errors, int depth) {
        JsonNode allOf = schema.get("allOf");
        if (allOf != null) {
            int before = errors.size();
            allOf.forEach(s -> validate(s, value, field, errors, depth + 1));
            if (errors.size() > before) {
                errors.add(new Error(field, "number_all_of", "Must validate all the schemas (allOf)"));
            }
        }
        JsonNode anyOf = schema.get("anyOf");
        if (anyOf != null && count(anyOf, value, field, depth) == 0) {
            errors.add(new Error(field, "number_any_of", "Must validate at least one schema (anyOf)"));
        }
        JsonNode oneOf = schema.get("oneOf");
        if (oneOf != null && count(oneOf, value, field, depth) != 1) {
            errors.add(new Error(field, "number_one_of", "Must validate one and only one schema (oneOf)"));
        }
        JsonNode not = schema.get("not");
        if (not != null && valid(not, value, field, depth)) {
            errors.add(new Error(field, "number_not", "Must not validate the schema (not)"));
        }
        JsonNode condition = schema.get("if");
        if (condition != null) {
            JsonNode branch = valid(condition, value, field, depth) ? schema.get("then") : schema.get("else");
            if (branch != null) {
                int before = errors.size();
                validate(branch, value, field, errors, depth + 1);
                if (errors.size() > before) {
                    errors.add(new Error(field, schema.get("then") == branch ? "condition_then" : "condition_else",
                            "Must validate \"" + (schema.get("then") == branch ? "then" : "else") + "\" as \"if\" was "
                                    + (schema.get("then") == branch ? "valid" : "not valid")));
                }
            }
        }
    }

    private void object(JsonNode schema, JsonNode value, String field, List<Error> errors, int depth) {
        JsonNode required = schema.get("required");
        if (required != null) {
            for (JsonNode name : required) {
                if (!value.has(name.asText())) {
                    errors.add(new Error(field, "required", name.asText() + " is required"));
                }
            }
        }
        int size = value.size();
        JsonNode min = schema.get("minProperties");
        if (min != null && size < min.asInt()) {
            errors.add(new Error(field, "array_min_properties", "Must have at least " + min.asInt() + " properties"));
        }
        JsonNode max = schema.get("maxProperties");
        if (max != null && size > max.asInt()) {
            errors.add(new Error(field, "array_max_properties", "Must have at most " + max.asInt() + " properties"));
        }
        JsonNode properties = schema.path("properties");
        JsonNode patterns = schema.path("patternProperties");
        JsonNode additional = schema.get("additionalProperties");
        JsonNode names = schema.get("propertyNames");
        JsonNode dependencies = schema.path("dependencies");
        for (Iterator<Map.Entry<String, JsonNode>> it = value.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = entry.getKey();
            String child = child(field, name);
            boolean matched = false;
            if (properties.has(name)) {
                validate(properties.get(name), entry.getValue(), child, errors, depth + 1);
                matched = true;
            }
            for (Iterator<Map.Entry<String, JsonNode>> p = patterns.properties().iterator(); p.hasNext(); ) {
                Map.Entry<String, JsonNode> pattern = p.next();
                if (find(pattern.getKey(), name)) {
                    validate(pattern.getValue(), entry.getValue(), child, errors, depth + 1);
                    matched = true;
                }
            }
            if (!matched && additional != null) {
                if (additional.isBoolean() && !additional.asBoolean()) {
                    errors.add(new Error(field, "additional_property_not_allowed", "Additional property " + name + " is not allowed"));
                } else if (additional.isObject()) {
                    validate(additional, entry.getValue(), child, errors, depth + 1);
                }
            }
            if (names != null && !valid(names, com.fasterxml.jackson.databind.node.TextNode.valueOf(name), field, depth)) {
                errors.add(new Error(field, "invalid_property_name", "Property \"" + name + "\" does not match pattern"));
            }
            JsonNode dependency = dependencies.get(name);
            if (dependency != null) {
                if (dependency.isArray()) {
                    for (JsonNode needed : dependency) {
                        if (!value.has(needed.asText())) {
                            errors.add(new Error(field, "missing_dependency", "Has a dependency on " + needed.asText()));
                        }
                    }
                } else {
                    validate(dependency, value, field, errors, depth + 1);
                }
            }
        }
    }

    private void array(JsonNode schema, JsonNode value, String field, List<Error> errors, int depth) {
        JsonNode min = schema.get("minItems");
        if (min != null && value.size() < min.asInt()) {
            errors.add(new Error(field, "array_min_items", "Array must have at least " + min.asInt() + " items"));
        }
        JsonNode max = schema.get("maxItems");
        if (max != null && value.size() > max.asInt()) {
            errors.add(new Error(field, "array_max_items", "Array must have at most " + max.asInt() + " items"));
        }
        JsonNode unique = schema.get("uniqueItems");
        if (unique != null && unique.asBoolean()) {
            for (int i = 0; i < value.size(); i++) {
                for (int j = i + 1; j < value.size(); j++) {
                    if (equal(value.get(i), value.get(j))) {
                        errors.add(new Error(field, "unique", "array items[" + i + "," + j + "] must be unique"));
                        i = value.size();
                        break;
                    }
                }
            }
        }
        JsonNode items = schema.get("items");
        if (items != null && items.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                if (i < items.size()) {
                    validate(items.get(i), value.get(i), child(field, Integer.toString(i)), errors, depth + 1);
                } else {
                    JsonNode additional = schema.get("additionalItems");
                    if (additional != null && additional.isBoolean() && !additional.asBoolean()) {
                        errors.add(new Error(field, "array_no_additional_items", "No additional items allowed on array"));
                        break;
                    } else if (additional != null && additional.isObject()) {
                        validate(additional, value.get(i), child(field, Integer.toString(i)), errors, depth + 1);
                    }
                }
            }
        } else if (items != null) {
            for (int i = 0; i < value.size(); i++) {
                validate(items, value.get(i), child(field, Integer.toString(i)), errors, depth + 1);
            }
        }
        JsonNode contains = schema.get("contains");
        if (contains != null) {
            boolean any = false;
            for (JsonNode element : value) {
                any |= valid(contains, element, field, depth);
            }
            if (!any) {
                errors.add(new Error(field, "contains", "At least one of the items must match"));
            }
        }
    }

    private static void string(JsonNode schema, String value, String field, List<Error> errors) {
        int length = value.codePointCount(0, value.length());
        JsonNode min = schema.get("minLength");
        if (min != null && length < min.asInt()) {
            errors.add(new Error(field, "string_gte", "String length must be greater than or equal to " + min.asInt()));
        }
        JsonNode max = schema.get("maxLength");
        if (max != null && length > max.asInt()) {
            errors.add(new Error(field, "string_lte", "String length must be less than or equal to " + max.asInt()));
        }
        JsonNode pattern = schema.get("pattern");
        if (pattern != null && !find(pattern.asText(), value)) {
            errors.add(new Error(field, "pattern", "Does not match pattern '" + pattern.asText() + "'"));
        }
        JsonNode format = schema.get("format");
        if (format != null && !Formats.matches(format.asText(), value)) {
            errors.add(new Error(field, "format", "Does not match format '" + format.asText() + "'"));
        }
    }

    private static void number(JsonNode schema, BigDecimal value, String field, List<Error> errors) {
        JsonNode multipleOf = schema.get("multipleOf");
        if (multipleOf != null && multipleOf.decimalValue().signum() != 0
                && value.remainder(multipleOf.decimalValue()).signum() != 0) {
            errors.add(new Error(field, "multiple_of", "Must be a multiple of " + plain(multipleOf)));
        }
        JsonNode minimum = schema.get("minimum");
        JsonNode exclusiveMinimum = schema.get("exclusiveMinimum");
        if (minimum != null) {
            boolean exclusive = exclusiveMinimum != null && exclusiveMinimum.isBoolean() && exclusiveMinimum.asBoolean();
            int c = value.compareTo(minimum.decimalValue());
            if (exclusive ? c <= 0 : c < 0) {
                errors.add(new Error(field, exclusive ? "number_gt" : "number_gte",
                        "Must be greater than " + (exclusive ? "" : "or equal to ") + plain(minimum)));
            }
        }
        if (exclusiveMinimum != null && exclusiveMinimum.isNumber() && value.compareTo(exclusiveMinimum.decimalValue()) <= 0) {
            errors.add(new Error(field, "number_gt", "Must be greater than " + plain(exclusiveMinimum)));
        }
        JsonNode maximum = schema.get("maximum");
        JsonNode exclusiveMaximum = schema.get("exclusiveMaximum");
        if (maximum != null) {
            boolean exclusive = exclusiveMaximum != null && exclusiveMaximum.isBoolean() && exclusiveMaximum.asBoolean();
            int c = value.compareTo(maximum.decimalValue());
            if (exclusive ? c >= 0 : c > 0) {
                errors.add(new Error(field, exclusive ? "number_lt" : "number_lte",
                        "Must be less than " + (exclusive ? "" : "or equal to ") + plain(maximum)));
            }
        }
        if (exclusiveMaximum != null && exclusiveMaximum.isNumber() && value.compareTo(exclusiveMaximum.decimalValue()) >= 0) {
            errors.add(new Error(field, "number_lt", "Must be less than " + plain(exclusiveMaximum)));
        }
    }

    private int count(JsonNode schemas, JsonNode value, String field, int depth) {
        int n = 0;
        for (JsonNode s : schemas) {
            if (valid(s, value, field, depth)) {
                n++;
            }
        }
        return n;
    }

    private boolean valid(JsonNode schema, JsonNode value, String field, int depth) {
        List<Error> scratch = new ArrayList<>();
        validate(schema, value, field, scratch, depth + 1);
        return scratch.isEmpty();
    }

    private static JsonNode resolve(JsonNode root, String ref) {
        if (ref.equals("#")) {
            return root;
        }
        if (!ref.startsWith("#/")) {
            return null;
        }
        JsonNode node = root.at(ref.substring(1));
        return node.isMissingNode() ? null : node;
    }

    private static boolean typeMatches(JsonNode type, JsonNode value) {
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (typeMatches(t, value)) {
                    return true;
                }
            }
            return false;
        }
        return switch (type.asText()) {
            case "integer" -> value.isIntegralNumber() || value.isNumber() && isWhole(value.decimalValue());
            case "number" -> value.isNumber();
            default -> type.asText().equals(typeOf(value));
        };
    }

    private static String typeOf(JsonNode value) {
        if (value.isIntegralNumber() || value.isNumber() && isWhole(value.decimalValue())) {
            return "integer";
        }
        return switch (value.getNodeType()) {
            case ARRAY -> "array";
            case BOOLEAN -> "boolean";
            case NULL, MISSING -> "null";
            case NUMBER -> "number";
            case OBJECT -> "object";
            default -> "string";
        };
    }

    private static String expected(JsonNode type) {
        if (!type.isArray()) {
            return type.asText();
        }
        List<String> names = new ArrayList<>();
        type.forEach(t -> names.add(t.asText()));
        return String.join("/", names);
    }

    private static boolean isWhole(BigDecimal d) {
        return d.signum() == 0 || d.stripTrailingZeros().scale() <= 0;
    }

    private static boolean contains(JsonNode options, JsonNode value) {
        for (JsonNode o : options) {
            if (equal(o, value)) {
                return true;
            }
        }
        return false;
    }

    /** JSON equality with numbers compared by value (1 equals 1.0). */
    private static boolean equal(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!equal(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            Set<String> keys = new HashSet<>();
            a.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                if (!b.has(k) || !equal(a.get(k), b.get(k))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    private static String child(String field, String name) {
        return field.equals("(root)") ? name : field + "." + name;
    }

    private static boolean find(String pattern, String text) {
        try {
            return Pattern.compile(pattern).matcher(text).find();
        } catch (PatternSyntaxException e) {
            return false;
        }
    }

    private static void regex(String pattern) throws InvalidSchemaException {
        try {
            Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new InvalidSchemaException("Invalid regex pattern '" + pattern + "'");
        }
    }

    private static boolean allText(JsonNode array) {
        for (JsonNode n : array) {
            if (!n.isTextual()) {
                return false;
            }
        }
        return true;
    }

    private static String plain(JsonNode number) {
        return number.decimalValue().stripTrailingZeros().toPlainString();
    }

    /** The formats gojsonschema checks; unknown formats pass, as the specification says. */
    private static final class Formats {

        private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+$");
        private static final Pattern DATE_TIME = Pattern.compile(
                "^\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?([Zz]|[+-]\\d{2}:\\d{2})$");
        private static final Pattern DATE = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}$");
        private static final Pattern TIME = Pattern.compile("^\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?([Zz]|[+-]\\d{2}:\\d{2})?$");
        private static final Pattern HOSTNAME = Pattern.compile(
                "^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$");
        private static final Pattern IPV4 = Pattern.compile("^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)$");
        private static final Pattern UUID = Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
        private static final Pattern URI = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:[^\\s]*$");

        static boolean matches(String format, String value) {
            return switch (format) {
                case "email", "idn-email" -> EMAIL.matcher(value).matches();
                case "date-time" -> DATE_TIME.matcher(value).matches();
                case "date" -> DATE.matcher(value).matches();
                case "time" -> TIME.matcher(value).matches();
                case "hostname" -> value.length() <= 253 && HOSTNAME.matcher(value).matches();
                case "ipv4" -> IPV4.matcher(value).matches();
                case "ipv6" -> value.contains(":") && value.matches("[0-9A-Fa-f:.]+");
                case "uuid" -> UUID.matcher(value).matches();
                case "uri" -> URI.matcher(value).matches();
                case "regex" -> {
                    try {
                        Pattern.compile(value);
                        yield true;
                    } catch (PatternSyntaxException e) {
                        yield false;
                    }
                }
                default -> true;
            };
        }
    }
}
