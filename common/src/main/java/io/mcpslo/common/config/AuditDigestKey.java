package io.mcpslo.common.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The secret that signs the audit chain's digests, shared by the stream-processor (which signs) and the query API
 * (which verifies): {@code AUDIT_DIGEST_KEY} (at least 16 characters) or, when unset, the hex key in
 * {@code AUDIT_DIGEST_KEY_FILE} (default {@code <MCP_SLO_DATA_DIR>/audit-digest.key}), created owner-only with
 * 32 random bytes on first use.
 */
public final class AuditDigestKey {

    private AuditDigestKey() {
    }

    public static byte[] from(Settings settings) {
        String key = settings.optional("AUDIT_DIGEST_KEY");
        if (key != null) {
            if (key.length() < 16) {
                throw new InvalidSettingException("AUDIT_DIGEST_KEY", "***", "must be at least 16 characters");
            }
            return key.getBytes(StandardCharsets.UTF_8);
        }
        Path file = Path.of(settings.string("AUDIT_DIGEST_KEY_FILE",
                Path.of(settings.string("MCP_SLO_DATA_DIR", ".data"), "audit-digest.key").toString()));
        try {
            if (Files.exists(file)) {
                return HexFormat.of().parseHex(Files.readString(file).trim());
            }
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            SecretFiles.write(file, HexFormat.of().formatHex(fresh) + "\n");
            return fresh;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the audit digest key " + file
                    + " (AUDIT_DIGEST_KEY_FILE)", e);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("AUDIT_DIGEST_KEY_FILE", file.toString(), "the file does not hold a hex key");
        }
    }
}
