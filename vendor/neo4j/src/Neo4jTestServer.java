import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

/**
 * Minimal Neo4j Community server for the auditor test suite.
 *
 * <p>Starts an embedded DBMS with only the Bolt connector enabled on a loopback port,
 * authentication disabled (or enabled with {@code --password}, for user {@code neo4j}), small page cache, prints {@code NEO4J_READY bolt://host:port}
 * once Bolt accepts connections, and shuts down cleanly on SIGTERM/SIGINT (JVM shutdown hook).
 *
 * <p>Usage: {@code java -cp 'target/lib/*:target/classes' Neo4jTestServer --home DIR --port N
 * [--host 127.0.0.1] [--password P] [--conf key=value ...]}
 */
public final class Neo4jTestServer {
    private Neo4jTestServer() {
    }

    public static void main(String[] args) throws Exception {
        Path home = null;
        String password = null;
        String host = "127.0.0.1";
        int port = 7687;
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("server.memory.pagecache.size", "64m");
        conf.put("dbms.security.auth_enabled", "false");
        conf.put("server.http.enabled", "false");
        conf.put("server.https.enabled", "false");
        conf.put("dbms.usage_report.enabled", "false");
        conf.put("db.tx_log.rotation.retention_policy", "1 files");
        conf.put("server.logs.gc.enabled", "false");
        // Netty waits 5 s of quiet and up to 15 s by default; a test server stops at once.
        conf.put("internal.dbms.bolt.netty_server_shutdown_quiet_period", "0");
        conf.put("internal.dbms.bolt.netty_server_shutdown_timeout", "2");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--home" -> home = Path.of(args[++i]);
                case "--host" -> host = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--password" -> password = args[++i];
                case "--conf" -> {
                    String kv = args[++i];
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--conf expects key=value, got " + kv);
                    }
                    conf.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (home == null) {
            throw new IllegalArgumentException("--home DIR is required");
        }
        if (password != null) {
            conf.put("dbms.security.auth_enabled", "true");
        }
        conf.put("server.bolt.enabled", "true");
        conf.put("server.bolt.listen_address", host + ":" + port);
        conf.put("server.bolt.advertised_address", host + ":" + port);

        Files.createDirectories(home);
        Path confFile = home.resolve("neo4j-test-server.conf");
        StringBuilder text = new StringBuilder();
        conf.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Files.writeString(confFile, text.toString());

        long started = System.nanoTime();
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .loadPropertiesFromFile(confFile)
                .build();
        if (password != null) {
            // the embedded API is not subject to authentication: set the neo4j user's password directly
            try {
                dbms.database("system").executeTransactionally(
                        "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", password));
            } catch (RuntimeException e) {
                // a restart on the same data directory: the password is already this one
                if (!String.valueOf(e.getMessage()).contains("cannot be the same")
                        && !String.valueOf(e.getCause()).contains("cannot be the same")) {
                    throw e;
                }
            }
        }
        // Touch the default database so it is fully online before announcing readiness.
        dbms.database("neo4j").executeTransactionally("RETURN 1");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                dbms.shutdown();
            } finally {
                System.out.println("NEO4J_STOPPED");
                System.out.flush();
                stopped.countDown();
            }
        }, "neo4j-test-server-shutdown"));
        System.out.printf("NEO4J_READY bolt://%s:%d (%.1fs)%n", host, port,
                (System.nanoTime() - started) / 1e9);
        System.out.flush();
        stopped.await();
    }
}
