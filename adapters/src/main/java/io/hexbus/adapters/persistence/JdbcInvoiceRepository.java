package io.hexbus.adapters.persistence;

import io.hexbus.outbox.JdbcUnitOfWork;
import io.hexbus.sample.invoicing.application.InvoiceRepository;
import io.hexbus.sample.invoicing.domain.Invoice;
import io.hexbus.sample.shared.Money;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The sample's invoices in PostgreSQL (table {@code sample_invoice}, {@link SampleSchema}).
 *
 * <p>Inside a unit of work of its {@link JdbcUnitOfWork} it reads and writes on the unit's connection, so the
 * invoice commits with the events the use case published (the outbox's rows) or not at all; a read there locks
 * the row ({@code FOR UPDATE}) until the unit ends, so two units issuing one invoice run one after the other and
 * the second sees it issued. Outside a unit, {@link #findById} reads on a connection of its own; {@link #save}
 * refuses, since a write outside a unit would commit apart from its events.
 *
 * <p>Thread-safety: thread-safe; blocks on the database.
 */
public final class JdbcInvoiceRepository implements InvoiceRepository {

    private static final String COLUMNS = "id, number, company_id, billing_email, store_id, total_amount,"
            + " total_currency, status";
    private static final String FIND = "SELECT " + COLUMNS + " FROM sample_invoice WHERE id = ?";
    private static final String FIND_ISSUED = "SELECT " + COLUMNS + " FROM sample_invoice WHERE status = 'ISSUED'";
    private static final String SAVE = "INSERT INTO sample_invoice (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (id) DO UPDATE SET number = EXCLUDED.number, company_id = EXCLUDED.company_id,"
            + " billing_email = EXCLUDED.billing_email, store_id = EXCLUDED.store_id,"
            + " total_amount = EXCLUDED.total_amount, total_currency = EXCLUDED.total_currency,"
            + " status = EXCLUDED.status";

    private final JdbcUnitOfWork units;
    private final DataSource dataSource;

    /**
     * @param units      the unit of work whose connection writes (and reads, inside one) use
     * @param dataSource where reads outside a unit get their connection: the one the unit of work uses
     */
    public JdbcInvoiceRepository(JdbcUnitOfWork units, DataSource dataSource) {
        this.units = Objects.requireNonNull(units, "units");
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * {@inheritDoc}
     *
     * @throws InvoiceStoreException if the database cannot be read
     */
    @Override
    public Optional<Invoice> findById(String invoiceId) {
        Objects.requireNonNull(invoiceId, "invoiceId");
        try {
            if (units.inUnitOfWork()) {
                return find(units.connection(), FIND + " FOR UPDATE", invoiceId);
            }
            try (Connection own = dataSource.getConnection()) {
                return find(own, FIND, invoiceId);
            }
        } catch (SQLException e) {
            throw new InvoiceStoreException("cannot read invoice " + invoiceId + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws InvoiceStoreException if the database cannot be read
     */
    @Override
    public List<Invoice> findIssued() {
        try {
            if (units.inUnitOfWork()) {
                return readAll(units.connection().prepareStatement(FIND_ISSUED));
            }
            try (Connection own = dataSource.getConnection()) {
                return readAll(own.prepareStatement(FIND_ISSUED));
            }
        } catch (SQLException e) {
            throw new InvoiceStoreException("cannot read the issued invoices: " + e.getMessage(), e);
        }
    }

    private static List<Invoice> readAll(PreparedStatement query) throws SQLException {
        try (PreparedStatement statement = query; ResultSet row = statement.executeQuery()) {
            List<Invoice> invoices = new ArrayList<>();
            while (row.next()) {
                invoices.add(restore(row));
            }
            return invoices;
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws io.hexbus.outbox.NoUnitOfWorkException if no unit of work runs on the calling thread
     * @throws InvoiceStoreException                 if the database refuses the write
     */
    @Override
    public void save(Invoice invoice) {
        Objects.requireNonNull(invoice, "invoice");
        Connection connection = units.connection();
        try (PreparedStatement statement = connection.prepareStatement(SAVE)) {
            statement.setString(1, invoice.id());
            statement.setString(2, invoice.number());
            statement.setString(3, invoice.companyId());
            statement.setString(4, invoice.billingEmail());
            statement.setString(5, invoice.storeId());
            statement.setBigDecimal(6, invoice.total().amount());
            statement.setString(7, invoice.total().currency());
            statement.setString(8, invoice.status().name());
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new InvoiceStoreException("cannot save invoice " + invoice.id() + ": " + e.getMessage(), e);
        }
    }

    private static Optional<Invoice> find(Connection connection, String sql, String invoiceId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, invoiceId);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(restore(row));
            }
        }
    }

    private static Invoice restore(ResultSet row) throws SQLException {
        return Invoice.restore(row.getString("id"), row.getString("number"), row.getString("company_id"),
                row.getString("billing_email"), row.getString("store_id"),
                new Money(row.getBigDecimal("total_amount"), row.getString("total_currency")),
                Invoice.Status.valueOf(row.getString("status")));
    }
}
