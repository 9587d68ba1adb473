package rrunner.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.WaitForSelectorState;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import rrunner.common.testing.RedisTestContainer;

/**
 * The playground in a real browser (Debian's chromium, driven by Playwright) against a real gateway and worker. A
 * screenshot of each test's final state goes to {@code target/playground/}.
 */
@Testcontainers
class PlaygroundE2EIT {

    private static final String TOKEN = "playground-" + System.nanoTime();
    private static final String WORKER_ID = "playground-worker-" + System.nanoTime();
    private static final Path SCREENSHOTS = Paths.get("target", "playground");
    /** why configurable: the test command installs Debian's chromium there; elsewhere point this at another build. */
    private static final Path CHROMIUM = Paths.get(System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium"));
    private static final double TIMEOUT_MS = 60_000;

    @Container
    static final GenericContainer<?> REDIS = RedisTestContainer.create();

    private static AppProcess gateway;
    private static AppProcess worker;
    private static String baseUrl;
    private static Http http;
    private static Playwright playwright;
    private static Browser browser;

    private BrowserContext context;
    private Page page;
    private final List<String> consoleErrors = new CopyOnWriteArrayList<>();
    private final List<String> dialogs = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startAppsAndBrowser() throws Exception {
        assertThat(CHROMIUM).as("chromium (the test command installs Debian's package)").isExecutable();
        int port = Env.freePort();
        baseUrl = "http://localhost:" + port;
        http = new Http(baseUrl, TOKEN);
        Map<String, String> shared = Map.of("REDIS_URL", RedisTestContainer.url(REDIS), "REDIS_KEY_PREFIX", "pg");
        worker = AppProcess.start("worker", "rrunner.workerJar", Env.merge(shared, Map.of(
                "WORKER_PORT", Integer.toString(Env.freePort()), "WORKER_CONCURRENCY", "2", "WORKER_ID", WORKER_ID)));
        gateway = AppProcess.start("gateway", "rrunner.gatewayJar", Env.merge(shared, Map.of(
                "PORT", Integer.toString(port), "RUNNER_TOKEN", TOKEN)));
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .failFast(() -> !gateway.isAlive() || !worker.isAlive())
                .until(() -> http.get("/system").statusCode() == 200);
        Files.createDirectories(SCREENSHOTS);
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(CHROMIUM)
                .setHeadless(true)
                // why: the tests run as root in CI, where chromium refuses its own sandbox
                .setArgs(List.of("--no-sandbox")));
    }

    @AfterAll
    static void stopAll() throws InterruptedException {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (worker != null) {
            worker.close();
        }
    }

    @BeforeEach
    void openPage() {
        context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1200, 900));
        page = context.newPage();
        page.setDefaultTimeout(TIMEOUT_MS);
        page.onConsoleMessage(message -> {
            if ("error".equals(message.type())) {
                consoleErrors.add(message.text());
            }
        });
        page.onPageError(error -> consoleErrors.add(error));
        page.onDialog(dialog -> {
            dialogs.add(dialog.message());
            dialog.dismiss();
        });
    }

    @AfterEach
    void screenshotAndClose(TestInfo test) {
        page.screenshot(new Page.ScreenshotOptions().setFullPage(true)
                .setPath(SCREENSHOTS.resolve(test.getTestMethod().orElseThrow().getName() + ".png")));
        context.close();
    }

    @Test
    void thePageLoadsUnderItsContentSecurityPolicyWithoutConsoleErrors() {
        Response response = page.navigate(baseUrl + "/playground");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers().get("content-security-policy"))
                .contains("default-src 'self'").contains("img-src 'self' data: blob:").doesNotContain("unsafe-inline");
        assertThat(page.locator("#example option").count()).isGreaterThan(3);
        assertThat(consoleErrors).isEmpty();
    }

    @Test
    void onANarrowScreenNothingOverflowsSideways() {
        page.setViewportSize(390, 844);
        runInPage("cat(paste(rep('wide', 60), collapse = ''))");

        assertThat(status()).isEqualTo("succeeded");
        assertThat(((Number) page.evaluate("() => document.documentElement.scrollWidth")).intValue())
                .isLessThanOrEqualTo(390);
    }

    @Test
    void catHiShowsHi() {
        runInPage("cat(\"hi\")");

        assertThat(status()).isEqualTo("succeeded");
        assertThat(page.locator("#stdout").textContent()).isEqualTo("hi");
        assertThat(page.locator("#exit-code").textContent()).isEqualTo("exit code 0");
        assertThat(page.locator("#timings dt").allTextContents()).contains("acquire", "run");
        assertThat(consoleErrors).isEmpty();
    }

    @Test
    void outputStreamsInAsTheScriptPrintsIt() {
        open();
        page.locator("#script").fill("for (i in 1:3) { cat('line', i, '\\n'); Sys.sleep(1) }");
        page.locator("#run").click();

        page.locator("#stdout").filter(new Locator.FilterOptions().setHasText("line 1")).waitFor();
        long firstLine = System.nanoTime();
        awaitEnded();
        Duration fromFirstLineToEnd = Duration.ofNanos(System.nanoTime() - firstLine);

        assertThat(page.locator("#stdout").textContent()).isEqualTo("line 1 \nline 2 \nline 3 \n");
        assertThat(fromFirstLineToEnd).as("the first line showed before the script ended")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aPlotShowsAsAnImage() {
        runInPage("png('p.png'); plot(1:10); invisible(dev.off())");

        Locator image = page.locator("#plots img");
        image.waitFor();
        page.waitForFunction("() => document.querySelector('#plots img').complete");
        assertThat(((Number) image.evaluate("img => img.naturalWidth")).intValue()).isGreaterThan(0);
        assertThat(image.getAttribute("src")).startsWith("blob:");
    }

    @Test
    void anErrorShowsStderrAndExitCodeOne() {
        runInPage("stop(\"boom\")");

        assertThat(status()).isEqualTo("failed");
        assertThat(page.locator("#stderr").textContent()).contains("Error: boom");
        assertThat(page.locator("#exit-code").textContent()).isEqualTo("exit code 1");
    }

    @Test
    void markupAScriptPrintsIsShownAsTextAndNeverRuns() {
        String markup = "<img src=x onerror=alert(1)>";
        runInPage("cat(\"" + markup + "\")");

        assertThat(page.locator("#stdout").textContent()).isEqualTo(markup);
        assertThat(page.locator("#stdout img").count()).isZero();
        assertThat(dialogs).isEmpty();
    }

    @Test
    void cancelLeavesTheJobCancelled() throws Exception {
        open();
        page.locator("#script").fill("cat('started\\n'); Sys.sleep(60)");
        page.locator("#run").click();
        page.locator("#stdout").filter(new Locator.FilterOptions().setHasText("started")).waitFor();

        page.locator("#cancel").click();
        awaitEnded();

        assertThat(status()).isEqualTo("cancelled");
        String jobId = page.locator("#job-id").textContent();
        HttpResponse<String> job = http.getWithToken("/jobs/" + jobId);
        assertThat(Http.JSON.readTree(job.body()).get("status").asString()).isEqualTo("cancelled");
    }

    @Test
    void enteringTheTokenFillsTheEnvironmentPickerWithoutLeavingTheField() {
        open();

        page.locator("#environment option[value='r-base']").waitFor(
                new Locator.WaitForOptions().setState(WaitForSelectorState.ATTACHED));
        assertThat(page.locator("#environment option").allTextContents()).first().isEqualTo("default");
    }

    @Test
    void aWrongTokenShowsThe401() {
        page.navigate(baseUrl + "/playground");
        page.locator("#token").fill("not-the-token");
        page.locator("#run").click();

        page.locator("#problem").waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.VISIBLE));
        assertThat(page.locator("#problem").textContent()).startsWith("401");
        assertThat(status()).isEqualTo("refused");
    }

    private void open() {
        page.navigate(baseUrl + "/playground");
        page.locator("#token").fill(TOKEN);
    }

    private void runInPage(String script) {
        open();
        page.locator("#script").fill(script);
        page.locator("#script").press("Control+Enter");
        awaitEnded();
    }

    /** The run button comes back once the job ended and its result is shown. */
    private void awaitEnded() {
        page.waitForFunction("() => !document.querySelector('#run').disabled"
                + " && !['queued', 'running', 'cancelling', 'submitting'].includes("
                + "document.querySelector('#status').textContent)");
    }

    private String status() {
        return page.locator("#status").textContent();
    }
}
