package io.mcpslo.sloconfig;

import io.mcpslo.engine.notify.ReceiverConfig;
import io.mcpslo.engine.slo.SloDefinition;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Parses one SLO file: YAML, one or many documents separated by {@code ---}, each an {@code mcp-slo/v1} SLO or
 * Receiver or an {@code openslo/v1} SLO. Every problem is reported with the file, line and field.
 */
public final class SloFileParser {

    public static final int MAX_FILE_BYTES = 1024 * 1024;
    private static final int MAX_DOCUMENTS = 1000;

    private final NativeDocuments nativeDocuments;
    private final OpenSloDocuments openSlo = new OpenSloDocuments();

    /** {@code environment} resolves {@code ${NAME}} in receiver URLs and keys (System::getenv in production). */
    public SloFileParser(Function<String, String> environment) {
        this.nativeDocuments = new NativeDocuments(environment);
    }

    public SloFile parse(String fileName, String text) {
        List<ConfigProblem> errors = new ArrayList<>();
        List<ConfigProblem> warnings = new ArrayList<>();
        List<SloDefinition> slos = new ArrayList<>();
        List<ReceiverConfig> receivers = new ArrayList<>();
        if (text.length() > MAX_FILE_BYTES) {
            errors.add(new ConfigProblem(fileName, 0, "", "is larger than " + MAX_FILE_BYTES + " bytes"));
            return new SloFile(fileName, slos, receivers, errors, warnings);
        }
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(20);
        options.setAllowRecursiveKeys(false);
        options.setCodePointLimit(MAX_FILE_BYTES);
        Set<String> ids = new HashSet<>();
        Set<String> names = new HashSet<>();
        try {
            int index = 0;
            for (Node node : new Yaml(options).composeAll(new StringReader(text))) {
                if (node == null) {
                    continue;
                }
                if (++index > MAX_DOCUMENTS) {
                    errors.add(new ConfigProblem(fileName, YamlObject.lineOf(node), "", "holds more than "
                            + MAX_DOCUMENTS + " documents"));
                    break;
                }
                int known = slos.size();
                int knownReceivers = receivers.size();
                try {
                    document(new YamlObject(fileName, "", node), slos, receivers, warnings);
                } catch (ConfigException e) {
                    errors.add(e.problem());
                }
                for (SloDefinition slo : slos.subList(known, slos.size())) {
                    if (!ids.add(slo.id())) {
                        errors.add(new ConfigProblem(fileName, YamlObject.lineOf(node), "id", "\"" + slo.id()
                                + "\" is defined twice in this file"));
                    }
                }
                for (ReceiverConfig receiver : receivers.subList(knownReceivers, receivers.size())) {
                    if (!names.add(receiver.name())) {
                        errors.add(new ConfigProblem(fileName, YamlObject.lineOf(node), "name", "receiver \""
                                + receiver.name() + "\" is defined twice in this file"));
                    }
                }
            }
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            errors.add(new ConfigProblem(fileName, line, "", "is not valid YAML: " + e.getProblem()));
        } catch (YAMLException e) {
            errors.add(new ConfigProblem(fileName, 0, "", "is not valid YAML: " + e.getMessage()));
        }
        if (!errors.isEmpty()) {
            return new SloFile(fileName, List.of(), List.of(), errors, warnings);
        }
        return new SloFile(fileName, slos, receivers, errors, warnings);
    }

    private void document(YamlObject doc, List<SloDefinition> slos, List<ReceiverConfig> receivers,
                          List<ConfigProblem> warnings) {
        String apiVersion = doc.string("apiVersion");
        String kind = doc.string("kind");
        switch (apiVersion) {
            case NativeDocuments.API_VERSION -> {
                switch (kind) {
                    case "SLO" -> slos.add(nativeDocuments.slo(doc));
                    case "Receiver" -> receivers.add(nativeDocuments.receiver(doc));
                    default -> throw doc.error("kind", "must be SLO or Receiver, was \"" + YamlObject.abbreviate(kind) + "\"");
                }
            }
            case OpenSloDocuments.API_VERSION -> {
                if (!kind.equals("SLO")) {
                    throw doc.error("kind", "OpenSLO " + YamlObject.abbreviate(kind)
                            + " documents are not imported; only kind SLO (with its indicator inline) is");
                }
                OpenSloDocuments.Mapped mapped = openSlo.slo(doc);
                slos.addAll(mapped.slos());
                warnings.addAll(mapped.warnings());
            }
            default -> throw doc.error("apiVersion", "must be " + NativeDocuments.API_VERSION + " or "
                    + OpenSloDocuments.API_VERSION + ", was \"" + YamlObject.abbreviate(apiVersion) + "\"");
        }
    }
}
