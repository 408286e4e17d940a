package io.mcpslo.common.auth;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code mcp-slo token create|list|revoke}: create prints a new token once (only its hash is kept); list shows names,
 * roles, scopes, when each was created and last used, never a token; revoke removes a token by name.
 */
public final class TokenAdmin {

    private static final String USAGE = """
            usage: mcp-slo token create --name <name> --role <gateway:<id>|sre|auditor|team:<name>|admin>… \\
                                       [--servers <name|prefix*|*>,…] [--kinds call,audit]
                   mcp-slo token list
                   mcp-slo token revoke <name>
              a gateway token needs --servers: the servers its events may name (exact names, prefixes ending
              in *, or * for every server); --kinds limits it to call or audit events (default both)""";

    private TokenAdmin() {
    }

    public static void main(String[] args) {
        Path file = Path.of(System.getenv().getOrDefault("AUTH_TOKENS_FILE",
                Path.of(System.getenv().getOrDefault("MCP_SLO_DATA_DIR", ".data"), "tokens").toString()));
        List<String> list = List.of(args);
        try {
            switch (list.isEmpty() ? "" : list.get(0)) {
                case "create" -> create(file, list.subList(1, list.size()));
                case "list" -> list(file, System.out);
                case "revoke" -> revoke(file, list.subList(1, list.size()));
                default -> usage("expected create, list or revoke");
            }
        } catch (IOException e) {
            System.err.println("mcp-slo token: " + e);
            System.exit(1);
        }
    }

    private static void create(Path file, List<String> options) {
        String name = null;
        Set<Role> roles = new LinkedHashSet<>();
        String servers = null;
        String kinds = String.join(",", WriteScope.KINDS);
        for (int i = 0; i < options.size(); i++) {
            String flag = options.get(i);
            if (i + 1 >= options.size()) {
                usage(flag + " needs a value");
            }
            String value = options.get(++i);
            switch (flag) {
                case "--name" -> name = value;
                case "--role" -> {
                    try {
                        roles.add(Role.parse(value));
                    } catch (IllegalArgumentException e) {
                        usage(e.getMessage());
                    }
                }
                case "--servers" -> servers = value;
                case "--kinds" -> kinds = value;
                default -> usage("unknown option " + flag);
            }
        }
        if (name == null || roles.isEmpty()) {
            usage("--name and at least one --role are required");
        }
        boolean gateway = roles.stream().anyMatch(Role.Gateway.class::isInstance);
        if (gateway && servers == null) {
            usage("a gateway token needs --servers (the servers it may report, e.g. github,jira-*; * for every server)");
        }
        try {
            WriteScope scope = gateway ? WriteScope.parse(servers, kinds) : WriteScope.ANY;
            String token = TokenStore.create(file, name, roles, scope, Instant.now());
            System.out.println(token);
            System.err.println("token for " + name + " stored (hashed) in " + file.toAbsolutePath()
                    + "; it is shown only this once");
        } catch (IllegalArgumentException e) {
            usage(e.getMessage());
        }
    }

    static void list(Path file, PrintStream out) throws IOException {
        if (!file.toFile().exists()) {
            System.err.println("no token file at " + file.toAbsolutePath());
            return;
        }
        TokenStore.Contents contents = TokenStore.read(file);
        Map<String, Instant> lastUsed = TokenStore.readLastUsed(file);
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "ROLES", "SERVERS", "KINDS", "CREATED", "LAST USED"});
        for (TokenStore.Entry entry : contents.entries()) {
            Principal principal = entry.principal();
            boolean gateway = principal.gatewayId().isPresent();
            rows.add(new String[] {principal.name(),
                String.join(",", principal.roles().stream().map(Role::text).sorted().toList()),
                gateway ? principal.writeScope().serversText() : "-", gateway ? principal.writeScope().kindsText() : "-",
                entry.created().map(Instant::toString).orElse("-"),
                lastUsed.containsKey(principal.name()) ? lastUsed.get(principal.name()).toString() : "never"});
        }
        int[] widths = new int[rows.get(0).length];
        rows.forEach(row -> {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        });
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + (widths[i] + 2) + "s", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
        contents.badLines().forEach(problem -> System.err.println("skipped: " + problem));
    }

    private static void revoke(Path file, List<String> arguments) throws IOException {
        if (arguments.size() != 1) {
            usage("revoke takes one token name");
        }
        int removed = TokenStore.revoke(file, arguments.get(0));
        if (removed == 0) {
            System.err.println("mcp-slo token: no token named " + arguments.get(0) + " in " + file.toAbsolutePath());
            System.exit(1);
        }
        System.err.println("revoked " + arguments.get(0) + " (" + removed + " token" + (removed == 1 ? "" : "s")
                + "); the collector and the query API refuse it from its next request");
    }

    private static void usage(String problem) {
        System.err.println("mcp-slo token: " + problem);
        System.err.println(USAGE);
        System.exit(2);
    }
}
