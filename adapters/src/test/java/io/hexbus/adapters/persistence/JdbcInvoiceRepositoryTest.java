package io.hexbus.adapters.persistence;

import io.hexbus.inmemory.testing.RecordingEventBus;
import io.hexbus.outbox.JdbcUnitOfWork;
import io.hexbus.outbox.NoUnitOfWorkException;
import io.hexbus.outbox.testing.PostgresDatabase;
import io.hexbus.sample.invoicing.application.IssueInvoiceUseCase;
import io.hexbus.sample.invoicing.domain.Invoice;
import io.hexbus.sample.invoicing.domain.InvoiceIssued;
import io.hexbus.sample.shared.Money;
import io.vavr.control.Either;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The invoice store on a real PostgreSQL, migrated beside the outbox's table as the app migrates it. */
class JdbcInvoiceRepositoryTest {

    @RegisterExtension
    static final PostgresDatabase postgres = new PostgresDatabase();
    private static DataSource dataSource;
    private static JdbcUnitOfWork units;
    private static JdbcInvoiceRepository invoices;

    @BeforeAll
    static void database() throws SQLException, IOException {
        dataSource = postgres.dataSource();
        // The outbox's table first, as the app has it: the sample's migrations must work in a schema that is not
        // empty and keep a history of their own.
        try (InputStream outbox = JdbcUnitOfWork.class.getResourceAsStream("migration/V1__hexbus_outbox.sql");
             Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(new String(outbox.readAllBytes(), StandardCharsets.UTF_8));
        }
        SampleSchema.migrate(dataSource);
        units = new JdbcUnitOfWork(dataSource);
        invoices = new JdbcInvoiceRepository(units, dataSource);
    }

    private static Invoice draft(String id, String amount) {
        return Invoice.draft(id, "2026-0001", "company-9", "billing@company9.example", "store-3",
                Money.of(amount, "EUR"));
    }

    private static String newId() {
        return "inv-" + UUID.randomUUID();
    }

    @Test
    void anInvoiceSavedInAUnitReadsBackAsItWasAfterTheCommit() {
        String id = newId();

        units.run(() -> invoices.save(draft(id, "120.50")));

        Invoice read = invoices.findById(id).orElseThrow();
        assertEquals(id, read.id());
        assertEquals("2026-0001", read.number());
        assertEquals("company-9", read.companyId());
        assertEquals("billing@company9.example", read.billingEmail());
        assertEquals("store-3", read.storeId());
        assertEquals(Money.of("120.50", "EUR"), read.total(), "the amount keeps its scale");
        assertEquals(Invoice.Status.DRAFT, read.status());
    }

    @Test
    void savingAgainReplacesTheEarlierVersion() {
        String id = newId();
        units.run(() -> invoices.save(draft(id, "10")));

        units.run(() -> {
            Invoice invoice = invoices.findById(id).orElseThrow();
            assertTrue(invoice.issue(UUID.randomUUID(), Instant.now(), "user-42").isRight());
            invoices.save(invoice);
        });

        assertEquals(Invoice.Status.ISSUED, invoices.findById(id).orElseThrow().status());
        assertEquals(Money.of("10", "EUR"), invoices.findById(id).orElseThrow().total());
    }

    @Test
    void aUnitThatFailsAfterTheSaveKeepsNothing() {
        String id = newId();

        assertThrows(IllegalStateException.class, () -> units.run(() -> {
            invoices.save(draft(id, "10"));
            assertTrue(invoices.findById(id).isPresent(), "the unit reads its own write");
            throw new IllegalStateException("what came after the save failed");
        }));

        assertEquals(Optional.empty(), invoices.findById(id));
    }

    @Test
    void aSaveOutsideAUnitIsRefusedAndWritesNothing() {
        String id = newId();

        assertThrows(NoUnitOfWorkException.class, () -> invoices.save(draft(id, "10")));

        assertEquals(Optional.empty(), invoices.findById(id));
    }

    @Test
    void anUnknownIdIsEmptyInsideAndOutsideAUnit() {
        assertEquals(Optional.empty(), invoices.findById("no-such-invoice"));
        assertEquals(Optional.empty(), units.call(() -> invoices.findById("no-such-invoice")));
    }

    @Test
    void aReadOutsideAUnitGivesItsConnectionBack() throws SQLException {
        String id = newId();
        units.run(() -> invoices.save(draft(id, "10")));
        int before = connectionsOfThisDatabase();

        for (int i = 0; i < 20; i++) {
            assertTrue(invoices.findById(id).isPresent());
        }

        assertEquals(before, connectionsOfThisDatabase(), "no connection left open by the reads");
    }

    @Test
    void migratingAgainChangesNothingAndTheHistoryIsTheSamplesOwn() throws SQLException {
        SampleSchema.migrate(dataSource);

        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT version, script FROM " + SampleSchema.HISTORY_TABLE
                     + " WHERE success AND version IS NOT NULL AND version <> '0' ORDER BY installed_rank")) {
            assertTrue(rows.next());
            assertEquals("1", rows.getString("version"));
            assertEquals("V1__sample_invoices.sql", rows.getString("script"));
            assertFalse(rows.next(), "one migration, applied once");
        }
    }

    private static int connectionsOfThisDatabase() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT count(*) FROM pg_stat_activity"
                     + " WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
            row.next();
            return row.getInt(1);
        }
    }

    @Test
    void twoUnitsIssuingOneInvoiceRunOneAfterTheOtherAndOnlyOnePublishes() throws Exception {
        String id = newId();
        units.run(() -> invoices.save(draft(id, "10")));
        RecordingEventBus bus = new RecordingEventBus();
        IssueInvoiceUseCase issue = new IssueInvoiceUseCase(invoices, bus, units, Clock.systemUTC());
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Future<Either<IssueInvoiceUseCase.Failure, InvoiceIssued>> second = units.call(() -> {
                assertTrue(invoices.findById(id).isPresent()); // this unit holds the row's lock until it ends
                Future<Either<IssueInvoiceUseCase.Failure, InvoiceIssued>> blocked =
                        other.submit(() -> issue.issue(id, "user-2"));
                await().atMost(Duration.ofSeconds(30)).until(() -> unitsWaitingForTheInvoiceRow() == 1);
                assertTrue(issue.issue(id, "user-1").isRight(), "issued in this unit, which the call joins");
                assertFalse(blocked.isDone(), "the other unit still waits for the row");
                return blocked;
            });

            assertEquals(Either.left(IssueInvoiceUseCase.Failure.ALREADY_ISSUED), second.get(30, TimeUnit.SECONDS),
                    "the other unit read the invoice once this one committed it");
            assertEquals(1, bus.events().size());
            assertEquals("user-1", ((InvoiceIssued) bus.events().all().get(0)).performedBy());
        } finally {
            other.shutdownNow();
        }
    }

    private static int unitsWaitingForTheInvoiceRow() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT count(*) FROM pg_stat_activity"
                     + " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                     + " AND query LIKE '%FROM sample_invoice%FOR UPDATE%'")) {
            row.next();
            return row.getInt(1);
        }
    }
}
