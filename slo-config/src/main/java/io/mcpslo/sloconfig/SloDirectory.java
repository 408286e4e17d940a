package io.mcpslo.sloconfig;

import io.mcpslo.engine.notify.ReceiverConfig;
import io.mcpslo.engine.slo.SloDefinition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SLO folder: every {@code *.yaml} / {@code *.yml} file in it (not its sub-folders), loaded in name order. A
 * file that has become bad keeps its last good version in force, so a typo never takes SLOs down; a deleted file
 * takes its SLOs with it. An SLO id or receiver name already defined by an earlier file refuses the later file.
 */
public final class SloDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(SloDirectory.class);

    private final Path folder;
    private final SloFileParser parser;
    private final Map<String, SloFile> lastGood = new HashMap<>();
    /** Each file's text when last read and what it parsed to: a reload parses only the files that changed. */
    private final Map<String, Parsed> lastRead = new HashMap<>();
    private SloCatalog current = SloCatalog.EMPTY;

    public SloDirectory(Path folder, SloFileParser parser) {
        this.folder = Objects.requireNonNull(folder, "folder");
        this.parser = parser;
    }

    public Path folder() {
        return folder;
    }

    public synchronized SloCatalog current() {
        return current;
    }

    /** Reads the folder again and returns the catalog now in force; problems are logged and kept in it. */
    public synchronized SloCatalog reload() {
        List<ConfigProblem> problems = new ArrayList<>();
        Map<String, SloFile> files = new LinkedHashMap<>();
        List<String> listed = new ArrayList<>();
        for (Path path : yamlFiles(problems)) {
            String name = folder.relativize(path).toString();
            listed.add(name);
            SloFile file = read(path, name);
            problems.addAll(file.errors());
            problems.addAll(file.warnings());
            if (file.accepted()) {
                lastGood.put(name, file);
                files.put(name, file);
            } else if (lastGood.containsKey(name)) {
                problems.add(new ConfigProblem(name, 0, "", "refused; its last good version stays in force"));
                files.put(name, lastGood.get(name));
            }
        }
        lastGood.keySet().retainAll(files.keySet());
        lastRead.keySet().retainAll(listed);
        Map<String, String> sloOwners = new HashMap<>();
        Map<String, String> receiverOwners = new HashMap<>();
        List<SloDefinition> slos = new ArrayList<>();
        List<ReceiverConfig> receivers = new ArrayList<>();
        for (SloFile file : files.values()) {
            String clash = clash(file, sloOwners, receiverOwners);
            if (clash != null) {
                problems.add(new ConfigProblem(file.name(), 0, "", clash + "; the file is refused"));
                continue;
            }
            file.slos().forEach(slo -> sloOwners.put(slo.id(), file.name()));
            file.receivers().forEach(receiver -> receiverOwners.put(receiver.name(), file.name()));
            slos.addAll(file.slos());
            receivers.addAll(file.receivers());
        }
        boolean changed = !slos.equals(current.slos()) || !receivers.equals(current.receivers());
        boolean newProblems = !problems.equals(current.problems());
        current = new SloCatalog(changed ? current.revision() + 1 : current.revision(), slos, receivers, problems);
        if (newProblems) {
            problems.forEach(problem -> LOG.warn("SLO files: {}", problem));
        }
        if (changed) {
            LOG.info("SLO files in {}: {} SLOs and {} receivers in force", folder, slos.size(), receivers.size());
        }
        return current;
    }

    private static String clash(SloFile file, Map<String, String> sloOwners, Map<String, String> receiverOwners) {
        for (SloDefinition slo : file.slos()) {
            if (sloOwners.containsKey(slo.id())) {
                return "SLO id \"" + slo.id() + "\" is already defined in " + sloOwners.get(slo.id());
            }
        }
        for (ReceiverConfig receiver : file.receivers()) {
            if (receiverOwners.containsKey(receiver.name())) {
                return "receiver \"" + receiver.name() + "\" is already defined in " + receiverOwners.get(receiver.name());
            }
        }
        return null;
    }

    private List<Path> yamlFiles(List<ConfigProblem> problems) {
        if (!Files.isDirectory(folder)) {
            problems.add(new ConfigProblem(folder.toString(), 0, "", "is not a folder"));
            return List.of();
        }
        try (Stream<Path> paths = Files.list(folder)) {
            return paths.filter(Files::isRegularFile)
                    .filter(path -> path.getFileName().toString().matches("[^.].*\\.ya?ml"))
                    .sorted().toList();
        } catch (IOException e) {
            problems.add(new ConfigProblem(folder.toString(), 0, "", "cannot be listed: " + e.getMessage()));
            return List.of();
        }
    }

    private SloFile read(Path path, String name) {
        try {
            if (Files.size(path) > SloFileParser.MAX_FILE_BYTES) {
                return new SloFile(name, List.of(), List.of(), List.of(new ConfigProblem(name, 0, "",
                        "is larger than " + SloFileParser.MAX_FILE_BYTES + " bytes")), List.of());
            }
            String text = Files.readString(path, StandardCharsets.UTF_8);
            Parsed last = lastRead.get(name);
            if (last != null && last.text().equals(text)) {
                return last.file();
            }
            SloFile file = parser.parse(name, text);
            lastRead.put(name, new Parsed(text, file));
            return file;
        } catch (IOException e) {
            return new SloFile(name, List.of(), List.of(), List.of(new ConfigProblem(name, 0, "",
                    "cannot be read: " + e.getMessage())), List.of());
        }
    }

    private record Parsed(String text, SloFile file) {
    }
}
