package io.mcpslo.allinone;

import io.mcpslo.common.auth.Role;
import io.mcpslo.common.auth.TokenStore;
import io.mcpslo.common.config.SecretFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The all-in-one mode's tokens: on first start one token per role is created (its hash into the token file every
 * service reads) and the tokens themselves are kept, owner-only, in {@code <data>/local-tokens.env} as shell
 * variables ({@code MCP_SLO_SRE_TOKEN=…}), so {@code source .data/local-tokens.env} makes them usable with curl.
 * The simulator and the benchmark send as the gateway {@value #GATEWAY_ID}, whose token may write any server's
 * events (it plays every gateway of the simulated fleet).
 */
public record LocalTokens(Path file, String gateway, String sre, String auditor, String team, String admin) {

    public static final String GATEWAY_ID = "local-gateway";
    public static final String TEAM = "devtools";

    public static LocalTokens ensure(Path dataDir, Path tokensFile) {
        Path file = dataDir.resolve("local-tokens.env");
        try {
            Map<String, String> tokens = new LinkedHashMap<>();
            if (Files.exists(file) && Files.exists(tokensFile)) {
                for (String line : Files.readAllLines(file)) {
                    int equals = line.indexOf('=');
                    if (line.startsWith("MCP_SLO_") && equals > 0) {
                        tokens.put(line.substring(0, equals), line.substring(equals + 1).trim());
                    }
                }
            }
            if (tokens.size() < 5) {
                tokens.put("MCP_SLO_GATEWAY_TOKEN", TokenStore.create(tokensFile, GATEWAY_ID, Set.of(new Role.Gateway(GATEWAY_ID))));
                tokens.put("MCP_SLO_SRE_TOKEN", TokenStore.create(tokensFile, "local-sre", Set.of(new Role.Sre())));
                tokens.put("MCP_SLO_AUDITOR_TOKEN", TokenStore.create(tokensFile, "local-auditor", Set.of(new Role.Auditor())));
                tokens.put("MCP_SLO_TEAM_TOKEN", TokenStore.create(tokensFile, "local-" + TEAM, Set.of(new Role.Team(TEAM))));
                tokens.put("MCP_SLO_ADMIN_TOKEN", TokenStore.create(tokensFile, "local-admin", Set.of(new Role.Admin())));
                StringBuilder text = new StringBuilder("# mcp-slo all-in-one tokens, one per role (source this file)\n");
                tokens.forEach((name, token) -> text.append(name).append('=').append(token).append('\n'));
                SecretFiles.write(file, text.toString());
            }
            return new LocalTokens(file, tokens.get("MCP_SLO_GATEWAY_TOKEN"), tokens.get("MCP_SLO_SRE_TOKEN"),
                    tokens.get("MCP_SLO_AUDITOR_TOKEN"), tokens.get("MCP_SLO_TEAM_TOKEN"), tokens.get("MCP_SLO_ADMIN_TOKEN"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the local tokens in " + file, e);
        }
    }
}
