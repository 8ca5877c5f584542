package org.likeness.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.likeness.server.auth.ApiKey;
import org.likeness.server.auth.KeyStore;
import org.likeness.server.auth.Role;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code likeness keys create|list|revoke}. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Manage API keys (stored only as salted slow hashes).")
final class KeysCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  static Map<String, Object> json(ApiKey k) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", k.id());
    m.put("name", k.name());
    m.put("role", k.role().name().toLowerCase(java.util.Locale.ROOT));
    m.put("gallery", k.gallery());
    m.put("created", k.created().toString());
    m.put("revoked", k.revoked() == null ? null : k.revoked().toString());
    return m;
  }

  /** {@code keys create --role R --name N [--gallery G]}: prints the key once, as the last line. */
  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a key; it is printed once, as the last line.")
  static final class Create implements Callable<Integer> {
    private final Map<String, String> env;
    @Option(names = "--role", required = true, description = "${COMPLETION-CANDIDATES}") Role role;
    @Option(names = "--name", required = true) String name;
    @Option(names = "--gallery", description = "Limit the key to one gallery.") String gallery;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    Create(Map<String, String> env) {
      this.env = env;
    }

    @Override
    public Integer call() {
      try (KeyStore keys = KeyStore.open(Home.of(env))) {
        KeyStore.Created c = keys.create(name, role, gallery);
        var out = spec.commandLine().getOut();
        out.println("key " + c.key().id() + " (" + c.key().name() + ", role " + role.name().toLowerCase(java.util.Locale.ROOT)
            + (gallery == null ? "" : ", gallery " + gallery) + "); store it now, it is not shown again:");
        out.println(c.secret());
        return 0;
      }
    }
  }

  /** {@code keys list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys (never their secrets).")
  static final class ListKeys implements Callable<Integer> {
    private final Map<String, String> env;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    ListKeys(Map<String, String> env) {
      this.env = env;
    }

    @Override
    public Integer call() {
      try (KeyStore keys = KeyStore.open(Home.of(env))) {
        spec.commandLine().getOut().println(new Json().write(Map.of("keys", keys.list().stream().map(KeysCommand::json).toList())));
        return 0;
      }
    }
  }

  /** {@code keys revoke ID}. */
  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key by id.")
  static final class Revoke implements Callable<Integer> {
    private final Map<String, String> env;
    @Parameters(index = "0", paramLabel = "ID") String id;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    Revoke(Map<String, String> env) {
      this.env = env;
    }

    @Override
    public Integer call() throws InputException {
      try (KeyStore keys = KeyStore.open(Home.of(env))) {
        if (!keys.revoke(id)) {
          throw new InputException("no active key with id " + id);
        }
        spec.commandLine().getOut().println("revoked " + id);
        return 0;
      }
    }
  }
}
