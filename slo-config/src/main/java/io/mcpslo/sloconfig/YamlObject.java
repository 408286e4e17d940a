package io.mcpslo.sloconfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A YAML mapping read field by field, each value known with its line, so every error names the file, the line
 * and the field's full path ({@code spec.objectives[1].target}). Duplicate keys are refused.
 */
final class YamlObject {

    private final String file;
    private final String path;
    private final Node node;
    private final Map<String, NodeTuple> fields = new LinkedHashMap<>();

    YamlObject(String file, String path, Node node) {
        this.file = file;
        this.path = path;
        this.node = node;
        if (!(node instanceof MappingNode mapping)) {
            throw error(path, node, "must be a mapping of fields");
        }
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                throw error(path, tuple.getKeyNode(), "field names must be plain text");
            }
            if (fields.put(key.getValue(), tuple) != null) {
                throw error(child(key.getValue()), key, "appears twice");
            }
        }
    }

    String file() {
        return file;
    }

    static int lineOf(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    String child(String field) {
        if (field.isEmpty()) {
            return path;
        }
        return path.isEmpty() ? field : path + "." + field;
    }

    ConfigException error(String field, Node at, String message) {
        return new ConfigException(new ConfigProblem(file, lineOf(at), field, message));
    }

    /** A problem about a field of this mapping, placed at the field's line (or the mapping's if absent). */
    ConfigException error(String field, String message) {
        NodeTuple tuple = fields.get(field);
        return error(child(field), tuple != null ? tuple.getValueNode() : node, message);
    }

    /** Refuses fields other than {@code allowed}, naming the first unknown one. */
    void onlyFields(Set<String> allowed) {
        for (var entry : fields.entrySet()) {
            if (!allowed.contains(entry.getKey())) {
                throw error(child(entry.getKey()), entry.getValue().getKeyNode(),
                        "unknown field (allowed here: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    boolean has(String field) {
        NodeTuple tuple = fields.get(field);
        return tuple != null && !isNull(tuple.getValueNode());
    }

    Set<String> fieldNames() {
        return fields.keySet();
    }

    private static boolean isNull(Node value) {
        return value instanceof ScalarNode scalar && "tag:yaml.org,2002:null".equals(scalar.getTag().getValue());
    }

    Node node(String field) {
        return fields.get(field).getValueNode();
    }

    String string(String field) {
        return optionalString(field).orElseThrow(() -> error(field, "is required"));
    }

    Optional<String> optionalString(String field) {
        if (!has(field)) {
            return Optional.empty();
        }
        Node value = node(field);
        if (!(value instanceof ScalarNode scalar)) {
            throw error(field, "must be a text value");
        }
        if (scalar.getValue().length() > 10_000) {
            throw error(field, "is longer than 10000 characters");
        }
        return Optional.of(scalar.getValue());
    }

    double number(String field) {
        return optionalNumber(field).orElseThrow(() -> error(field, "is required"));
    }

    Optional<Double> optionalNumber(String field) {
        return optionalString(field).map(text -> {
            try {
                double value = Double.parseDouble(text.trim());
                if (!Double.isFinite(value)) {
                    throw error(field, "must be a finite number, was " + text);
                }
                return value;
            } catch (NumberFormatException e) {
                throw error(field, "must be a number, was \"" + abbreviate(text) + "\"");
            }
        });
    }

    long wholeNumber(String field, long defaultValue) {
        double value = optionalNumber(field).orElse((double) defaultValue);
        if (value != Math.rint(value) || value < 0 || value > 1e15) {
            throw error(field, "must be a whole number >= 0, was " + value);
        }
        return (long) value;
    }

    boolean bool(String field, boolean defaultValue) {
        return optionalString(field).map(text -> switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw error(field, "must be true or false, was \"" + abbreviate(text) + "\"");
        }).orElse(defaultValue);
    }

    YamlObject object(String field) {
        if (!has(field)) {
            throw error(field, "is required");
        }
        return new YamlObject(file, child(field), node(field));
    }

    Optional<YamlObject> optionalObject(String field) {
        return has(field) ? Optional.of(object(field)) : Optional.empty();
    }

    /** The items of a sequence field (empty when absent). */
    List<Node> list(String field) {
        if (!has(field)) {
            return List.of();
        }
        if (!(node(field) instanceof SequenceNode sequence)) {
            throw error(field, "must be a list");
        }
        return sequence.getValue();
    }

    List<YamlObject> objects(String field) {
        List<YamlObject> objects = new ArrayList<>();
        List<Node> items = list(field);
        for (int i = 0; i < items.size(); i++) {
            objects.add(new YamlObject(file, child(field) + "[" + i + "]", items.get(i)));
        }
        return objects;
    }

    List<String> strings(String field) {
        List<String> values = new ArrayList<>();
        for (Node item : list(field)) {
            if (!(item instanceof ScalarNode scalar)) {
                throw error(child(field), item, "must be a list of text values");
            }
            values.add(scalar.getValue());
        }
        return values;
    }

    static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "…";
    }
}
