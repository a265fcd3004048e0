package io.hexbus.sample.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Spring Boot sample: in memory by default, on Redis with {@code USE_QUEUE_EVENT_BUS=true} (or
 * {@code hexbus.transport=redis}). On start it issues one invoice ({@link IssueOneInvoice}); in memory it then
 * exits, on a queue its worker keeps consuming until the process is stopped.
 */
@SpringBootApplication
public class SpringSampleApplication {

    /**
     * @param args Spring Boot's command-line arguments, such as {@code --hexbus.transport=redis}
     */
    public static void main(String[] args) {
        SpringApplication.run(SpringSampleApplication.class, args);
    }
}
