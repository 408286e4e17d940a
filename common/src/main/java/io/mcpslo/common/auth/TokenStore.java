package io.mcpslo.common.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bearer tokens, hashed at rest: a text file of lines {@code <sha256 of token> <name> <role>[,<role>…]}
 * ({@code #} starts a comment). Only the hash is stored, so the file does not let anyone act. The file is read
 * again when it changes, so a token created by {@code mcp-slo token create} works at once. A malformed line is
 * logged with its number and skipped: one bad line must not lock every token out.
 */
public final class TokenStore {

    public static final String PREFIX = "mcps_";
    private static final Logger LOG = LoggerFactory.getLogger(TokenStore.class);

    private final Path file;
    private Map<String, Principal> byHash = Map.of();
    private long loadedModified = Long.MIN_VALUE;

    public TokenStore(Path file) {
        this.file = file;
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
        return Optional.ofNullable(byHash.get(hash(token)));
    }

    private void reloadIfChanged() {
        try {
            long modified = Files.exists(file) ? Files.getLastModifiedTime(file).toMillis() + Files.size(file) : -1;
            if (modified == loadedModified) {
                return;
            }
            Map<String, Principal> loaded = new HashMap<>();
            if (modified >= 0) {
                Contents contents = read(file);
                contents.badLines().forEach(problem -> LOG.warn("token file: {} (line skipped)", problem));
                for (Entry entry : contents.entries()) {
                    loaded.put(entry.hash(), entry.principal());
                }
            }
            byHash = Map.copyOf(loaded);
            loadedModified = modified;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the token file " + file + " (AUTH_TOKENS_FILE)", e);
        }
    }

    /** One line of the file. */
    public record Entry(String hash, Principal principal) {
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
        if (parts.length != 3 || !parts[0].matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("expected \"<sha256 hex> <name> <role>[,<role>…]\"");
        }
        if (!Role.NAME.matcher(parts[1]).matches()) {
            throw new IllegalArgumentException("token name must be letters, digits, '.', '_' or '-'");
        }
        Set<Role> roles = new LinkedHashSet<>();
        for (String role : parts[2].split(",")) {
            roles.add(Role.parse(role));
        }
        return new Entry(parts[0], new Principal(parts[1], roles));
    }

    /** Creates a token for {@code name} with {@code roles}, appends its hash to the file, and returns the token. */
    public static String create(Path file, String name, Set<Role> roles) {
        if (!Role.NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("token name must be letters, digits, '.', '_' or '-'");
        }
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("a token needs at least one role");
        }
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        String line = hash(token) + " " + name + " " + String.join(",", roles.stream().map(Role::text).toList()) + "\n";
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            boolean fresh = !Files.exists(file);
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if (fresh) {
                ownerOnly(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the token file " + file, e);
        }
        return token;
    }

    public static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
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
