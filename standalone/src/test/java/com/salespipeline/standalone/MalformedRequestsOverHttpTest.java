package com.salespipeline.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.salespipeline.command.api.HttpClientSupport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Requests that Tomcat handles before the app does. A query parameter that is not percent-encoded UTF-8 is a 400 naming it. Tomcat dropped it (and logged it), so a
 * filter in it was not applied: {@code owner=nobody%zz} answered every contact. Sent over a socket, as a client that
 * does not check its own URLs would: Java's HTTP client refuses to send such a URL at all.
 */
@ExtendWith(OutputCaptureExtension.class)
class MalformedRequestsOverHttpTest {

    @TempDir
    Path dataDir;

    @Test
    void aParameterThatIsNotPercentEncodedUtf8IsRefusedNotDropped() throws Exception {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(StandaloneApplication.class)
                .run("--server.port=0", "--PIPELINE_DATA_DIR=" + dataDir)) {
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();
            HttpClientSupport http = new HttpClientSupport("http://localhost:" + port);
            assertThat(http.post("/api/contacts", "service-dev-key", "{\"name\":\"Someone\",\"email\":"
                    + "\"q@example.com\",\"source\":\"WEB_FORM\",\"owner\":\"sam\"}").status()).isEqualTo(201);

            String badEscape = get(port, "/api/contacts?owner=nobody%zz");
            String notUtf8 = get(port, "/api/reports/funnel?campaign=%C3%28&mode=strict");
            String fine = get(port, "/api/contacts?owner=s%61m");

            assertThat(badEscape).startsWith("HTTP/1.1 400").contains("application/problem+json")
                    .contains("\"field\":\"owner\"");
            assertThat(notUtf8).startsWith("HTTP/1.1 400").contains("\"field\":\"campaign\"");
            assertThat(fine).startsWith("HTTP/1.1 200").contains("\"total\":1");
        }
    }

    /** Tomcat logged the first header line it could not parse at INFO, an API key with it. */
    @Test
    void anAuthorizationHeaderTomcatCannotParseIsRefusedWithoutLoggingTheKey(CapturedOutput log) throws Exception {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(StandaloneApplication.class)
                .run("--server.port=0", "--PIPELINE_DATA_DIR=" + dataDir)) {
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();

            String answer = get(port, "/api/reports/funnel", "Bearer analyst-dev-key\u0001");

            assertThat(answer).startsWith("HTTP/1.1 400");
            assertThat(log.getAll()).doesNotContain("analyst-dev-key");
        }
    }

    private static String get(int port, String target) throws IOException {
        return get(port, target, "Bearer analyst-dev-key");
    }

    private static String get(int port, String target, String authorization) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + authorization + "\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
