package io.hexbus.adapters.http;

import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.admin.QueueStats;
import io.hexbus.api.admin.SubscriptionStats;
import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventIds;
import io.hexbus.api.event.EventName;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.NonRetryableException;
import io.hexbus.api.transport.QueuedTransport;
import io.hexbus.redis.RedisConnectionSettings;
import io.hexbus.redis.RedisQueueSettings;
import io.hexbus.redis.RedisTransport;
import io.hexbus.redis.testing.RawRedis;
import io.hexbus.redis.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard in a real headless Chromium, over the HTTP server on the shared test Redis (a key prefix of its
 * own): a wrong token shows an error and no data; with the right one the overview's counts are the queue's, the
 * subscriptions table is {@code subscriptionStats()}, and a dead letter made here is opened, retried once its
 * handler is fixed, leaves the list and is handled; sorting and the clean dialog work from the keyboard.
 *
 * <p>With {@code -Dhexbus.screenshots=docs/images} (a directory, relative to the checkout) it saves a PNG of each
 * page there, as docs/dashboard.md shows them.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DashboardInTheBrowserTest {

    private static final String TOKEN = "dashboard-test-token-0123456789";
    private static final String GROUP = "dashboard-test";
    private static final String SUBSCRIPTION = "dashboard-test.ship-order";
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Handled events, published in batches between the overview's polls. */
    private static final List<Integer> BATCHES = List.of(3, 8, 5, 8);
    private static final int HANDLED = BATCHES.stream().mapToInt(Integer::intValue).sum();
    private static final List<String> REJECTED = List.of("bad-1", "bad-2", "bad-3");
    /** Markup in an error message: the page must show it as text, never run it. */
    private static final String HOSTILE = "<img src=x onerror=\"window.hexbusInjected=1\">";
    private static final Map<String, ToLongFunction<QueueStats>> CARDS = Map.of(
            "waiting", QueueStats::waiting, "active", QueueStats::active,
            "retryScheduled", QueueStats::retryScheduled, "scheduled", QueueStats::scheduled,
            "completed", QueueStats::completed, "deadLettered", QueueStats::deadLettered);

    /** The event of this test. */
    @EventName("dashboard-test.order-placed")
    public record OrderPlaced(UUID eventId, Instant occurredAt, String orderId) implements DomainEvent {
    }

    private final String prefix = "hexbus-test:{" + UUID.randomUUID() + "}";
    private final Set<String> rejected = ConcurrentHashMap.newKeySet();
    private final Set<String> handled = ConcurrentHashMap.newKeySet();
    private RedisConnectionSettings redis;
    private QueuedTransport transport;
    private AdminHttpServer server;
    private HeadlessChromium browser;
    private ChromeDriver page;
    private WebDriverWait until;

    @BeforeEach
    void start() {
        DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry());
        processor.register(OrderPlaced.class, SUBSCRIPTION, (OrderPlaced event) -> {
            if (rejected.contains(event.orderId())) {
                throw new NonRetryableException("order " + event.orderId() + " rejected " + HOSTILE);
            }
            handled.add(event.orderId());
        });
        String url = System.getenv("REDIS_URL");
        redis = url == null || url.isBlank() ? TestRedis.shared() : RedisConnectionSettings.fromUrl(url.trim());
        transport = RedisTransport.connect(redis, RedisQueueSettings.defaults(GROUP).withKeyPrefix(prefix)
                .withShutdownDeadline(Duration.ofSeconds(5)), processor);
        transport.startWorker();
        server = AdminHttpServer.start(new HttpSettings(true, "127.0.0.1", 0, Optional.of(TOKEN), false),
                Optional.of(transport), () -> 1);
        server.observe(processor);
        browser = HeadlessChromium.start(1280, 900);
        page = browser.driver();
        until = new WebDriverWait(page, WAIT);
    }

    @AfterEach
    void stop() {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            server.close();
            transport.close();
            RawRedis.deleteKeysUnder(redis, prefix);
        }
    }

    @Test
    void aWrongTokenShowsAnErrorAndNoData() {
        page.get(base() + "/ui");
        signIn("wrong-token-0123456789");

        WebElement error = until.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in-error")));
        assertTrue(error.getText().contains("refused"), error.getText());
        assertFalse(page.findElement(By.id("nav")).isDisplayed(), "no navigation without the token");
        assertTrue(page.findElements(By.cssSelector("[data-stat]")).isEmpty(), "no statistics without the token");
        assertNull(page.executeScript("return sessionStorage.getItem('hexbus.adminToken')"), "a refused token is not kept");
    }

    @Test
    void aDeadLetterIsSeenOpenedRetriedAndHandled() {
        QueueAdmin admin = transport.admin();
        page.get(base() + "/ui");
        signIn(TOKEN);
        until.until(ExpectedConditions.textToBe(By.cssSelector("[data-stat=completed]"), "0"));

        // Published while the overview is open, a batch after each of its polls, so that its charts see them go
        // through; the charts keep what each poll read, so their history grows.
        rejected.addAll(REJECTED);
        int published = 0;
        for (int batch : BATCHES) {
            int points = chartPoints();
            for (int i = 0; i < batch; i++) {
                publish("ok-" + published++);
            }
            until.until(driver -> chartPoints() > points);
        }
        OrderPlaced bad = publish("bad-1");
        publish("bad-2");
        publish("bad-3");
        await().atMost(WAIT).until(() -> settled(admin.stats()));

        // The overview shows the group's counts as QueueAdmin reads them.
        until.until(ExpectedConditions.textToBe(By.cssSelector("[data-stat=completed]"), String.valueOf(HANDLED)));
        until.until(ExpectedConditions.textToBe(By.cssSelector("[data-stat=deadLettered]"), "3"));
        QueueStats stats = admin.stats();
        CARDS.forEach((card, counter) -> assertEquals(counter.applyAsLong(stats), number(card), card));
        until.until(ExpectedConditions.textMatches(By.cssSelector("#throughput .chart-now"), Pattern.compile("now .+/s")));
        screenshot("overview");

        // The subscriptions table, once the worker has reported its counts.
        page.findElement(By.linkText("Subscriptions")).click();
        By row = By.cssSelector("tr[data-subscription='" + SUBSCRIPTION + "'] > *");
        // Subscription, handled, failed attempts, retries scheduled, dead-lettered, failure rate, …
        List<String> cells = until.until(driver -> {
            List<String> texts = driver.findElements(row).stream().map(WebElement::getText).toList();
            return texts.size() > 5 && texts.get(1).equals(String.valueOf(HANDLED)) && texts.get(4).equals("3")
                    ? texts : null;
        });
        SubscriptionStats subscription = admin.subscriptionStats().stream()
                .filter(s -> s.subscription().equals(SUBSCRIPTION)).findFirst().orElseThrow();
        assertEquals(List.of(SUBSCRIPTION, String.valueOf(subscription.handled()),
                String.valueOf(subscription.failedAttempts()), String.valueOf(subscription.retriesScheduled()),
                String.valueOf(subscription.deadLettered())), cells.subList(0, 5));
        // Shown as a percentage with at most one decimal.
        assertEquals(subscription.failureRate() * 100, Double.parseDouble(cells.get(5).replace("%", "")), 0.05,
                "failure rate");
        screenshot("subscriptions");
        // A column sorts from the keyboard: its heading is a real button.
        page.findElement(By.cssSelector("button[data-sort=subscription]")).sendKeys(Keys.ENTER);
        until.until(ExpectedConditions.attributeToBe(By.xpath("//th[button[@data-sort='subscription']]"), "aria-sort",
                "ascending"));

        // The dead letter made above, listed, then opened.
        page.findElement(By.linkText("Dead letters")).click();
        By listed = By.cssSelector("tr[data-event-id='" + bad.eventId() + "']");
        until.until(ExpectedConditions.visibilityOfElementLocated(listed));
        assertTrue(page.findElement(By.id("dead-letters-summary")).getText().contains("1–3 of 3 dead letters"),
                page.findElement(By.id("dead-letters-summary")).getText());
        screenshot("dead-letters");

        // Clean by age from the keyboard: Enter opens the dialog with the focus in it, Escape closes it and gives the
        // focus back; confirmed, a week's age deletes none of these fresh dead letters.
        page.findElement(By.id("clean")).sendKeys(Keys.ENTER);
        until.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dialog[open]")));
        assertEquals("7", page.switchTo().activeElement().getDomProperty("value"), "focus on the age");
        page.switchTo().activeElement().sendKeys(Keys.ESCAPE);
        until.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("dialog"), 0));
        assertEquals("clean", page.switchTo().activeElement().getDomAttribute("id"), "focus back on its button");
        page.findElement(By.id("clean")).sendKeys(Keys.ENTER);
        until.until(ExpectedConditions.elementToBeClickable(By.cssSelector("dialog [data-confirm]"))).click();
        until.until(ExpectedConditions.textToBe(By.id("flash"), "0 old dead letters deleted."));
        until.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("tr[data-event-id]"), REJECTED.size()));
        assertEquals(REJECTED.size(), admin.stats().deadLettered());
        page.findElement(listed).findElement(By.linkText("dashboard-test.order-placed")).click();
        WebElement error = until.until(ExpectedConditions.visibilityOfElementLocated(By.id("last-error")));
        assertTrue(error.getText().contains("order bad-1 rejected " + HOSTILE), "shown as text: " + error.getText());
        assertTrue(page.findElements(By.cssSelector("#last-error *, .detail img")).isEmpty(), "no markup from the server");
        assertNull(page.executeScript("return window.hexbusInjected"), "nothing from the server ran");
        assertTrue(page.findElement(By.id("envelope")).getText().contains("\"orderId\": \"bad-1\""),
                page.findElement(By.id("envelope")).getText());
        screenshot("dead-letter");

        // Fix the handler, retry this one: it leaves the list, the others stay, and the retry is handled.
        rejected.remove("bad-1");
        page.findElement(By.id("retry-one")).click();
        until.until(ExpectedConditions.textMatches(By.id("flash"), Pattern.compile("queued again")));
        until.until(ExpectedConditions.numberOfElementsToBe(listed, 0));
        until.until(ExpectedConditions.textToBe(By.id("dead-letters-summary"), "1–2 of 2 dead letters, newest first."));
        assertEquals(2, page.findElements(By.cssSelector("tr[data-event-id]")).size());
        await().atMost(WAIT).until(() -> handled.contains("bad-1"));
        await().atMost(WAIT).until(() -> admin.stats().completed() == HANDLED + 1);

        page.get(base() + "/ui#/events/" + bad.eventId());
        until.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("tr[data-subscription='" + SUBSCRIPTION + "'][data-state='DONE']")));
        screenshot("event");

        // Every page ran under the server's Content-Security-Policy without breaking it.
        assertTrue(browser.consoleLines().stream().noneMatch(line -> line.contains("Content Security Policy")),
                browser.consoleLines()::toString);
    }

    private boolean settled(QueueStats stats) {
        return stats.completed() == HANDLED && stats.deadLettered() == REJECTED.size() && stats.waiting() == 0
                && stats.active() == 0
                && stats.retryScheduled() == 0;
    }

    private void signIn(String token) {
        WebElement input = until.until(ExpectedConditions.elementToBeClickable(By.id("token")));
        input.clear();
        input.sendKeys(token);
        page.findElement(By.id("sign-in")).click();
    }

    private int chartPoints() {
        return Integer.parseInt(Optional.ofNullable(page.findElement(By.cssSelector(".charts"))
                .getDomAttribute("data-points")).orElse("0"));
    }

    private long number(String card) {
        return Long.parseLong(page.findElement(By.cssSelector("[data-stat=" + card + "]")).getText().replace(",", ""));
    }

    private OrderPlaced publish(String orderId) {
        OrderPlaced event = new OrderPlaced(EventIds.newId(), Instant.now(), orderId);
        transport.eventBus().publish(event);
        return event;
    }

    private String base() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Saves the page as docs/images/dashboard-{name}.png when asked to with -Dhexbus.screenshots. */
    private void screenshot(String name) {
        String directory = System.getProperty("hexbus.screenshots");
        if (directory != null && !directory.isBlank()) {
            browser.screenshot(checkout().resolve(directory).resolve("dashboard-" + name + ".png"));
        }
    }

    /** The checkout's root (Surefire runs in the module's directory). */
    private static Path checkout() {
        Path here = Path.of("").toAbsolutePath();
        for (Path dir = here; dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("mvnw")) && Files.exists(dir.resolve("adapters"))) {
                return dir;
            }
        }
        return here;
    }
}
