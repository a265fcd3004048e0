package io.hexbus.spring.boot;

import io.hexbus.admin.http.HexbusAdmin;
import io.hexbus.admin.http.TokenGuard;
import io.hexbus.api.scheduling.RecurringEvents;
import io.hexbus.api.transport.QueuedTransport;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

import java.util.Optional;

/**
 * The admin API and dashboard of {@code event-bus-admin-http} in the application's own servlet container, at
 * {@code hexbus.admin.path} (default {@code /hexbus}): the API at {@code <path>/api/v1/…}, the dashboard at
 * {@code <path>/ui}. Only in a servlet web application with that module on the class path and a token in
 * {@code hexbus.admin.token} (or {@code HEXBUS_ADMIN_TOKEN}): without a token nothing is mounted, and there is no
 * insecure mode. Every admin route demands the token as {@code Authorization: Bearer}, never a cookie. A token that
 * breaks the token rule fails the context naming the property, never showing the token.
 */
@AutoConfiguration(after = HexbusAutoConfiguration.class)
@ConditionalOnClass(name = {"io.hexbus.admin.http.HexbusAdmin", "io.javalin.http.servlet.JavalinServlet",
        "jakarta.servlet.http.HttpServlet"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBean(HexbusTransportSelection.class)
@Conditional(HexbusAdminTokenCondition.class)
@EnableConfigurationProperties(HexbusAdminProperties.class)
public class HexbusAdminAutoConfiguration {

    /** The name of the servlet's registration bean. */
    public static final String SERVLET = "hexbusAdminServlet";

    /** Created by Spring. */
    public HexbusAdminAutoConfiguration() {
        // nothing to set
    }

    /**
     * @param properties {@code hexbus.admin.*}
     * @param transport  the queue, if the transport is one (else the statistics say there is none)
     * @param recurring  the recurring events, listed on {@code GET /api/v1/schedules} when there are any
     * @return the servlet's registration at {@code <path>/*}
     * @throws IllegalArgumentException naming {@code hexbus.admin.token} when the token breaks the token rule
     */
    @Bean(SERVLET)
    @ConditionalOnMissingBean(name = SERVLET)
    public ServletRegistrationBean<HexbusAdminServlet> hexbusAdminServlet(HexbusAdminProperties properties,
                                                                          ObjectProvider<QueuedTransport> transport,
                                                                          ObjectProvider<RecurringEvents> recurring) {
        TokenGuard.requireAllowed(properties.token().trim(),
                HexbusAdminTokenCondition.TOKEN + " (HEXBUS_ADMIN_TOKEN)");
        HexbusAdmin.Builder builder = HexbusAdmin.builder().transport(Optional.ofNullable(transport.getIfAvailable()))
                .adminToken(properties.token());
        RecurringEvents schedules = recurring.getIfAvailable();
        if (schedules != null) {
            builder.schedules(schedules::schedules);
        }
        HexbusAdmin admin = builder.build();
        ServletRegistrationBean<HexbusAdminServlet> registration = new ServletRegistrationBean<>(
                new HexbusAdminServlet(admin, properties.path()), properties.path() + "/*");
        registration.setName(SERVLET);
        registration.setLoadOnStartup(1);
        return registration;
    }
}
