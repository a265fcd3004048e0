package io.hexbus.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hexbus.outbox.testing.PostgresDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The relay's two queries read the partial indexes of waiting rows, never the whole table of kept sent rows. */
class OutboxQueryPlanTest {

    @RegisterExtension
    static final PostgresDatabase postgres = new PostgresDatabase();

    @BeforeAll
    static void filled() throws Exception {
        OutboxTable table = new OutboxTable(postgres.dataSource(), null);
        table.migrate();
        // 20,000 rows over 500 keys, 15,000 of them sent and kept for the retention, 5,000 waiting: a backlog, as
        // when the transport was down a while (most waiting rows below the batch's last seq then wait for a retry).
        table.execute("INSERT INTO hexbus_outbox (event_id, event_name, ordering_key, envelope, sent_at)"
                + " SELECT gen_random_uuid(), 'outbox-test.tick', 'key-' || (i % 500), '{}',"
                + " CASE WHEN i <= 15000 THEN now() END FROM generate_series(1, 20000) i");
        table.execute("VACUUM ANALYZE hexbus_outbox"); // as autovacuum would: statistics, and a visibility map
    }

    @ParameterizedTest
    // A statement's first runs, then the plan the server caches for it.
    @ValueSource(strings = {"force_custom_plan", "force_generic_plan"})
    void theBatchIsReadFromTheWaitingIndex(String planCacheMode) throws Exception {
        List<String> nodes = plan(planCacheMode, RelayPass.LOCK_BATCH, statement -> statement.setInt(1, 500));

        assertTrue(nodes.contains("Index Scan on hexbus_outbox using hexbus_outbox_waiting"), nodes.toString());
        // A probe per row, or one bitmap scan of the few rows waiting for a retry: the planner picks by their count.
        assertTrue(nodes.stream().anyMatch(node -> node.endsWith(" using hexbus_outbox_retrying_key")),
                "rows behind a key's retry found by its index: " + nodes);
        assertFalse(nodes.stream().anyMatch(node -> node.startsWith("Seq Scan")), nodes.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"force_custom_plan", "force_generic_plan"})
    void theWaitingRowsOfTheBatchsKeysAreReadFromTheWaitingKeyIndex(String planCacheMode) throws Exception {
        List<String> nodes = plan(planCacheMode, RelayPass.WAITING_OF_KEYS, statement -> {
            String[] keys = new String[50];
            Long[] below = new Long[keys.length];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = "key-" + i * 7;
                below[i] = 20_000L;
            }
            statement.setArray(1, statement.getConnection().createArrayOf("text", keys));
            statement.setArray(2, statement.getConnection().createArrayOf("bigint", below));
        });

        assertTrue(nodes.stream().anyMatch(node -> node.matches("Index (Only )?Scan on hexbus_outbox using "
                + "hexbus_outbox_waiting_key")), nodes.toString());
        assertFalse(nodes.stream().anyMatch(node -> node.startsWith("Seq Scan")), nodes.toString());
    }

    private interface Parameters {
        void set(PreparedStatement statement) throws SQLException;
    }

    /** Each node of the plan as "Node Type on relation using index". */
    private static List<String> plan(String planCacheMode, String sql, Parameters parameters) throws Exception {
        try (Connection connection = postgres.dataSource().getConnection();
             PreparedStatement explain = connection.prepareStatement("EXPLAIN (FORMAT JSON) " + sql)) {
            try (Statement set = connection.createStatement()) {
                set.execute("SET plan_cache_mode = " + planCacheMode);
            }
            parameters.set(explain);
            try (ResultSet result = explain.executeQuery()) {
                result.next();
                JsonNode root = new ObjectMapper().readTree(result.getString(1)).get(0).get("Plan");
                List<String> nodes = new ArrayList<>();
                collect(root, nodes);
                return nodes;
            }
        }
    }

    private static void collect(JsonNode node, List<String> nodes) {
        String described = node.get("Node Type").asText()
                + (node.has("Relation Name") ? " on " + node.get("Relation Name").asText() : "")
                + (node.has("Index Name") ? " using " + node.get("Index Name").asText() : "");
        nodes.add(described);
        node.path("Plans").forEach(child -> collect(child, nodes));
    }
}
