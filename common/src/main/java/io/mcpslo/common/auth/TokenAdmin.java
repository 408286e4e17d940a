package io.mcpslo.common.auth;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** {@code mcp-slo token create --name <name> --role <role> [--role …]}: prints a new token once; only its hash is kept. */
public final class TokenAdmin {

    private TokenAdmin() {
    }

    public static void main(String[] args) {
        Path file = Path.of(System.getenv().getOrDefault("AUTH_TOKENS_FILE",
                Path.of(System.getenv().getOrDefault("MCP_SLO_DATA_DIR", ".data"), "tokens").toString()));
        List<String> list = List.of(args);
        if (list.isEmpty() || !list.get(0).equals("create")) {
            usage("expected: token create --name <name> --role <role> [--role <role>…]");
        }
        String name = null;
        Set<Role> roles = new LinkedHashSet<>();
        for (int i = 1; i < list.size(); i++) {
            String flag = list.get(i);
            if (i + 1 >= list.size()) {
                usage(flag + " needs a value");
            }
            String value = list.get(++i);
            switch (flag) {
                case "--name" -> name = value;
                case "--role" -> {
                    try {
                        roles.add(Role.parse(value));
                    } catch (IllegalArgumentException e) {
                        usage(e.getMessage());
                    }
                }
                default -> usage("unknown option " + flag);
            }
        }
        if (name == null || roles.isEmpty()) {
            usage("--name and at least one --role are required");
        }
        try {
            String token = TokenStore.create(file, name, roles);
            System.out.println(token);
            System.err.println("token for " + name + " stored (hashed) in " + file.toAbsolutePath()
                    + "; it is shown only this once");
        } catch (IllegalArgumentException e) {
            usage(e.getMessage());
        }
    }

    private static void usage(String problem) {
        System.err.println("mcp-slo token: " + problem);
        System.err.println("usage: mcp-slo token create --name <name> --role <gateway:<id>|sre|auditor|team:<name>|admin>…");
        System.exit(2);
    }
}
