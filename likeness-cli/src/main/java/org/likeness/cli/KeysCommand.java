package org.likeness.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.server.auth.KeyAdmin;
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
      try (KeyStore keys = Home.keys(env); AuditLog audit = Home.audit(env)) {
        KeyStore.Created c = new KeyAdmin(keys, audit).create(LocalGalleries.actor(), name, role, gallery);
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
      try (KeyStore keys = Home.keys(env)) {
        spec.commandLine().getOut().println(new Json().write(Map.of("keys", keys.list().stream().map(KeyAdmin::describe).toList())));
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
    public Integer call() {
      try (KeyStore keys = Home.keys(env); AuditLog audit = Home.audit(env)) {
        new KeyAdmin(keys, audit).revoke(LocalGalleries.actor(), id);
        spec.commandLine().getOut().println("revoked " + id);
        return 0;
      }
    }
  }
}
