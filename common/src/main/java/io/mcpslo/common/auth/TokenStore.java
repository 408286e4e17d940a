package io.mcpslo.common.auth;

import io.mcpslo.common.config.SecretFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bearer tokens, hashed at rest: a text file of lines {@code <sha256 of token> <name> <role>[,<role>…]}, then
 * optional {@code servers=…}, {@code kinds=…} (a gateway's {@link WriteScope}) and {@code created=…} ({@code #}
 * starts a comment). Only the hash is stored, so the file does not let anyone act. The file is read again when
 * it changes, so a token created by {@code mcp-slo token create} works at once and one removed by
 * {@code mcp-slo token revoke} fails at its next request. A malformed line is logged with its number and skipped:
 * one bad line must not lock every token out. When each token was last used is kept beside the file
 * ({@code <file>.last-used}, written at most every {@value #LAST_USED_FLUSH_SECONDS} s by each service).
 */
public final class TokenStore {

    public static final String PREFIX = "mcps_";
    static final int LAST_USED_FLUSH_SECONDS = 30;
    private static final Logger LOG = LoggerFactory.getLogger(TokenStore.class);

    private final Path file;
    private final Clock clock;
    private Map<String, Principal> byHash = Map.of();
    private String loadedVersion = "";
    private final Map<String, Instant> lastUsed = new HashMap<>();
    private Instant lastUsedFlushed = Instant.MIN;

    public TokenStore(Path file) {
        this(file, Clock.systemUTC());
    }

    public TokenStore(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    public Path file() {
        return file;
    }

    /** The principal of a presented token, or empty when no such token exists (or the file is missing). */
    public synchronized Optional<Principal> authenticate(String token) {
        if (token == null || token.isEmpty() || token.length() > 200) {
            return Optional.empty();
        }
        reloadIfChanged();
        Optional<Principal> principal = Optional.ofNullable(byHash.get(hash(token)));
        principal.ifPresent(this::used);
        return principal;
    }

    private void reloadIfChanged() {
        try {
            String version = "missing";
            if (Files.exists(file)) {
                // a revocation renames a new file into place: its identity changes even if time and size would not
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                version = attributes.fileKey() + "/" + attributes.lastModifiedTime().toMillis() + "/" + attributes.size();
            }
            if (version.equals(loadedVersion)) {
                return;
            }
            Map<String, Principal> loaded = new HashMap<>();
            if (!version.equals("missing")) {
                Contents contents = read(file);
                contents.badLines().forEach(problem -> LOG.warn("token file: {} (line skipped)", problem));
                for (Entry entry : contents.entries()) {
                    loaded.put(entry.hash(), entry.principal());
                }
            }
            byHash = Map.copyOf(loaded);
            loadedVersion = version;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the token file " + file + " (AUTH_TOKENS_FILE)", e);
        }
    }

    private void used(Principal principal) {
        Instant now = clock.instant();
        lastUsed.put(principal.name(), now);
        if (now.isBefore(lastUsedFlushed.plusSeconds(LAST_USED_FLUSH_SECONDS))) {
            return;
        }
        lastUsedFlushed = now;
        try {
            Map<String, Instant> merged = new TreeMap<>(readLastUsed(file));
            lastUsed.forEach((name, at) -> merged.merge(name, at, (a, b) -> a.isAfter(b) ? a : b));
            StringBuilder text = new StringBuilder();
            merged.forEach((name, at) -> text.append(name).append(' ').append(at).append('\n'));
            SecretFiles.write(lastUsedFile(file), text.toString());
            lastUsed.clear();
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot record when tokens were last used in {}: {}", lastUsedFile(file), e.toString());
        }
    }

    private static Path lastUsedFile(Path file) {
        return file.resolveSibling(file.getFileName() + ".last-used");
    }

    /** When each token name last authenticated, as far as the services have recorded it. */
    public static Map<String, Instant> readLastUsed(Path file) throws IOException {
        Path sidecar = lastUsedFile(file);
        Map<String, Instant> times = new HashMap<>();
        if (!Files.exists(sidecar)) {
            return times;
        }
        for (String line : Files.readAllLines(sidecar, StandardCharsets.UTF_8)) {
            String[] parts = line.strip().split(" ");
            if (parts.length == 2) {
                try {
                    times.put(parts[0], Instant.parse(parts[1]));
                } catch (DateTimeException damaged) {
                    // a damaged line loses its own time only
                }
            }
        }
        return times;
    }

    /** One line of the file; {@code created} is absent on lines written before it was recorded. */
    public record Entry(String hash, Principal principal, Optional<Instant> created) {
    }

    /** The file's valid lines, and why each other line was skipped ({@code <file>:<line>: <problem>}). */
    public record Contents(List<Entry> entries, List<String> badLines) {
        public Contents {
            entries = List.copyOf(entries);
            badLines = List.copyOf(badLines);
        }
    }

    public static Contents read(Path file) throws IOException {
        List<Entry> entries = new ArrayList<>();
        List<String> badLines = new ArrayList<>();
        int number = 0;
        // decoded leniently: bytes that are not UTF-8 spoil their own line only
        for (String line : new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n", -1)) {
            number++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            try {
                entries.add(parse(trimmed));
            } catch (IllegalArgumentException e) {
                badLines.add(file + ":" + number + ": " + e.getMessage());
            }
        }
        return new Contents(entries, badLines);
    }

    private static Entry parse(String line) {
        String[] parts = line.split("\\s+");
        if (parts.length < 3 || !parts[0].matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("expected \"<sha256 hex> <name> <role>[,<role>…] [servers=…] [kinds=…]"
                    + " [created=…]\"");
        }
        if (!Role.NAME.matcher(parts[1]).matches()) {
            throw new IllegalArgumentException("token name must be letters, digits, '.', '_' or '-'");
        }
        Set<Role> roles = new LinkedHashSet<>();
        for (String role : parts[2].split(",")) {
            roles.add(Role.parse(role));
        }
        Map<String, String> fields = new HashMap<>();
        for (int i = 3; i < parts.length; i++) {
            int equals = parts[i].indexOf('=');
            String key = equals < 0 ? parts[i] : parts[i].substring(0, equals);
            if (equals < 0 || !Set.of("servers", "kinds", "created").contains(key) || fields.containsKey(key)) {
                throw new IllegalArgumentException("unexpected \"" + parts[i] + "\" (servers=, kinds= and created= may"
                        + " follow the roles, once each)");
            }
            fields.put(key, parts[i].substring(equals + 1));
        }
        WriteScope scope = WriteScope.ANY;
        if (fields.containsKey("servers") || fields.containsKey("kinds")) {
            if (roles.stream().noneMatch(Role.Gateway.class::isInstance)) {
                throw new IllegalArgumentException("servers= and kinds= scope a gateway token; this one has no gateway"
                        + " role");
            }
            scope = WriteScope.parse(fields.getOrDefault("servers", "*"),
                    fields.getOrDefault("kinds", String.join(",", WriteScope.KINDS)));
        }
        Optional<Instant> created;
        try {
            created = Optional.ofNullable(fields.get("created")).map(Instant::parse);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("created= must be an RFC 3339 instant such as 2026-11-25T10:00:00Z");
        }
        return new Entry(parts[0], new Principal(parts[1], roles, scope), created);
    }

    /** Creates a token for {@code name} with {@code roles} (any server and kind); returns the token. */
    public static String create(Path file, String name, Set<Role> roles) {
        return create(file, name, roles, WriteScope.ANY, Instant.now());
    }

    /**
     * Creates a token for {@code name} with {@code roles}, and {@code scope} when narrower than any server and kind;
     * appends its hash to the file (owner-only from its first byte) and returns the token.
     */
    public static String create(Path file, String name, Set<Role> roles, WriteScope scope, Instant created) {
        if (!Role.NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("token name must be letters, digits, '.', '_' or '-'");
        }
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("a token needs at least one role");
        }
        if (!scope.isAny() && roles.stream().noneMatch(Role.Gateway.class::isInstance)) {
            throw new IllegalArgumentException("--servers and --kinds scope a gateway token; give it a gateway:<id> role");
        }
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        String line = hash(token) + " " + name + " " + String.join(",", roles.stream().map(Role::text).toList())
                + (scope.isAny() ? "" : " servers=" + scope.serversText() + " kinds=" + scope.kindsText())
                + " created=" + created.truncatedTo(ChronoUnit.SECONDS) + "\n";
        try {
            SecretFiles.append(file, line);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the token file " + file, e);
        }
        return token;
    }

    /** Removes every token called {@code name} from the file and returns how many; they fail from their next request. */
    public static int revoke(Path file, String name) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        List<String> kept = new ArrayList<>();
        int removed = 0;
        for (String line : new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n", -1)) {
            String[] parts = line.strip().split("\\s+");
            if (!line.strip().startsWith("#") && parts.length >= 2 && parts[1].equals(name)) {
                removed++;
            } else {
                kept.add(line);
            }
        }
        if (removed > 0) {
            SecretFiles.write(file, String.join("\n", kept));
        }
        return removed;
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
