package io.hexbus.spring.boot;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Without a token the admin API is not mounted at all, though the module is on the class path. */
class HexbusAdminWithoutTokenTest {

    @Test
    void nothingIsMountedAndTheAdminPathsAreNotFound() throws Exception {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.SERVLET)
                .properties("server.port=0", "server.address=127.0.0.1", "hexbus.admin.token= ").run()) {
            int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
            HttpClient http = HttpClient.newHttpClient();
            for (String path : new String[] {"/hexbus/api/v1/queues/stats", "/hexbus/ui"}) {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer any-token-0123456789").GET().build(),
                        HttpResponse.BodyHandlers.ofString());

                assertThat(answer.statusCode()).as(path).isEqualTo(404);
                assertThat(answer.headers().firstValue("Content-Security-Policy")).as(path).isEmpty();
            }
            assertThat(context.getBeansOfType(ServletRegistrationBean.class)).isEmpty();
            assertThat(context.getBeansOfType(HexbusAdminServlet.class)).isEmpty();
        }
    }

    // The test class path holds JDBC for the outbox's tests; this application has no database.
    @SpringBootConfiguration
    @EnableAutoConfiguration(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
    static class App {
    }
}
