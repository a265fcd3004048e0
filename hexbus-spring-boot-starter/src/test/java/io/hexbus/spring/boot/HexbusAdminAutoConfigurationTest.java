package io.hexbus.spring.boot;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.boot.web.servlet.ServletRegistrationBean;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** When the admin servlet is registered, and how a wrong setting fails the context. */
class HexbusAdminAutoConfigurationTest {

    private static final String TOKEN = "a-token-of-the-admin-0123456789";

    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HexbusAutoConfiguration.class,
                    HexbusAdminAutoConfiguration.class));

    @Test
    void theVariableOfTheGuiceAppSetsTheToken() {
        web.withInitializer(context -> TestPropertyValues.of("HEXBUS_ADMIN_TOKEN=" + TOKEN)
                .applyTo(context.getEnvironment(), TestPropertyValues.Type.SYSTEM_ENVIRONMENT)).run(context -> {
                    assertThat(context).hasNotFailed();
                    ServletRegistrationBean<?> servlet = context.getBean(HexbusAdminAutoConfiguration.SERVLET,
                            ServletRegistrationBean.class);
                    assertThat(servlet.getServlet()).isInstanceOf(HexbusAdminServlet.class);
                    assertThat(servlet.getUrlMappings()).containsExactly("/hexbus/*");
                });
    }

    @Test
    void theServletIsMountedWhereThePathSays() {
        web.withPropertyValues("hexbus.admin.token=" + TOKEN, "hexbus.admin.path=/ops/bus").run(context ->
                assertThat(context.getBean(HexbusAdminAutoConfiguration.SERVLET, ServletRegistrationBean.class)
                        .getUrlMappings()).containsExactly("/ops/bus/*"));
    }

    @Test
    void aTokenThatBreaksTheRuleFailsTheContextNamingThePropertyNotTheToken() {
        web.withPropertyValues("hexbus.admin.token=short-one").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .hasStackTraceContaining("hexbus.admin.token (HEXBUS_ADMIN_TOKEN) is not allowed")
                    .satisfies(failure -> assertThat(stackTrace(failure)).doesNotContain("short-one"));
        });
    }

    @Test
    void aPathThatIsNotPlainSegmentsFailsTheContextNamingTheProperty() {
        web.withPropertyValues("hexbus.admin.token=" + TOKEN, "hexbus.admin.path=/ops/").run(context ->
                assertThat(context.getStartupFailure()).hasStackTraceContaining("hexbus.admin.path=/ops/ is not allowed"));
        web.withPropertyValues("hexbus.admin.token=" + TOKEN, "hexbus.admin.path=/../x").run(context ->
                assertThat(context).hasFailed());
    }

    @Test
    void nothingIsMountedWithoutAToken() {
        web.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(HexbusAdminAutoConfiguration.SERVLET)
                .doesNotHaveBean(HexbusAdminProperties.class));
        web.withPropertyValues("hexbus.admin.token=  ").run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(HexbusAdminAutoConfiguration.SERVLET));
    }

    @Test
    void nothingIsMountedOutsideAServletApplicationOrWithoutTheModule() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(HexbusAutoConfiguration.class,
                HexbusAdminAutoConfiguration.class)).withPropertyValues("hexbus.admin.token=" + TOKEN).run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(HexbusAdminAutoConfiguration.SERVLET));
        web.withPropertyValues("hexbus.admin.token=" + TOKEN)
                .withClassLoader(new FilteredClassLoader("io.hexbus.admin.http.")).run(context ->
                        assertThat(context).hasNotFailed().doesNotHaveBean(HexbusAdminAutoConfiguration.SERVLET));
    }

    private static String stackTrace(Throwable failure) {
        StringWriter text = new StringWriter();
        failure.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}
