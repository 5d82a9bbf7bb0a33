package com.salespipeline.query.web;

import static com.salespipeline.query.lifecycle.SamplePipeline.LATER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import com.salespipeline.events.LeadSource;
import com.salespipeline.query.lifecycle.ContactHistory;
import com.salespipeline.query.lifecycle.Envelope;
import com.salespipeline.query.lifecycle.SamplePipeline;
import java.time.Instant;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.SimpleEventBus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * The query service as a whole: events published on Axon's bus reach the projection through the
 * processing group, and the HTTP API answers from the read model with the shapes of api.md.
 * A plain event bus stands in for the event source that distributed mode will bring.
 */
@SpringBootTest(properties = {
        "spring.datasource.url=jdbc:h2:mem:query-api;DB_CLOSE_DELAY=-1",
        "pipeline.api-keys=analyst-dev-key=ANALYST,service-dev-key=SERVICE,auditor-dev-key=AUDITOR,admin-dev-key=ADMIN",
        "axon.eventhandling.processors.pipeline-projections.mode=subscribing",
        "axon.eventhandling.processors.pipeline-projections.source=eventBus",
        "axon.kafka.fetcher.enabled=false"})
@AutoConfigureMockMvc
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryApiTest {

    private static final String AS_OF = "asOf=" + LATER;

    @TestConfiguration
    static class PlainEventBus {
        @Bean
        EventBus eventBus() {
            return SimpleEventBus.builder().build();
        }
    }

    @Autowired
    private MockMvc mvc;

    @Autowired
    private EventBus eventBus;

    private final SamplePipeline sample = new SamplePipeline();

    @BeforeAll
    void publishTheSamplePipeline() {
        for (ContactHistory contact : List.of(sample.d, sample.c, sample.b, sample.a)) {
            contact.events().forEach(this::publish);
        }
        // a redelivery changes nothing
        publish(sample.a.events().get(2));
    }

    private void publish(Envelope envelope) {
        eventBus.publish(new GenericDomainEventMessage<>("Contact", envelope.event().contactId().toString(),
                envelope.sequence(), envelope.event()));
    }

    private static MockHttpServletRequestBuilder as(String key, String uri) {
        return get(uri).header(HttpHeaders.AUTHORIZATION, "Bearer " + key);
    }

    private static MockHttpServletRequestBuilder analyst(String uri) {
        return as("analyst-dev-key", uri);
    }

    /** The query string as written, escapes and all: {@link #analyst} takes a URI template and would escape a %20. */
    private static MockHttpServletRequestBuilder analystAsSent(String uri) {
        return get(URI.create(uri)).header(HttpHeaders.AUTHORIZATION, "Bearer analyst-dev-key");
    }

    // ---- contacts

    @Test
    void aContactAsItStandsNow() throws Exception {
        mvc.perform(analyst("/api/contacts/" + sample.a.contactId()))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.contactId").value(sample.a.contactId().toString()))
                .andExpect(jsonPath("$.stage").value("ADVOCATE"))
                .andExpect(jsonPath("$.source").value("WEB_FORM"))
                .andExpect(jsonPath("$.campaign").value("spring"))
                .andExpect(jsonPath("$.owner").value("sam"))
                .andExpect(jsonPath("$.capturedAt").value("2024-01-01T00:00:00Z"))
                .andExpect(jsonPath("$.stageEnteredAt").value("2024-01-01T20:00:00Z"))
                .andExpect(jsonPath("$.version").value(6))
                .andExpect(header().string(HttpHeaders.ETAG, "\"6\""));
    }

    @Test
    void anUnknownContactIsAProblem404() throws Exception {
        mvc.perform(analyst("/api/contacts/" + UUID.randomUUID()))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(404))
                .andExpect(jsonPath("$.title").value("Unknown contact"))
                .andExpect(jsonPath("$.detail").exists());
        mvc.perform(analyst("/api/contacts/not-a-uuid")).andExpect(status().isNotFound())
                .andExpect(jsonPath("$.status").value(404));
    }

    @Test
    void contactsByStageOwnerAndSourceInPages() throws Exception {
        mvc.perform(analyst("/api/contacts?stage=LEAD"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.total").value(2))
                .andExpect(jsonPath("$.page").value(0))
                .andExpect(jsonPath("$.size").value(50))
                .andExpect(jsonPath("$.items[*].contactId").value(containsInAnyOrder(
                        sample.c.contactId().toString(), sample.d.contactId().toString())));
        mvc.perform(analyst("/api/contacts?owner=sam&source=AD"))
                .andExpect(jsonPath("$.total").value(1))
                .andExpect(jsonPath("$.items[0].contactId").value(sample.d.contactId().toString()));
        mvc.perform(analyst("/api/contacts?size=1&page=1"))
                .andExpect(jsonPath("$.total").value(4))
                .andExpect(jsonPath("$.items", hasSize(1)))
                .andExpect(jsonPath("$.items[0].contactId").value(sample.b.contactId().toString()));
        mvc.perform(analyst("/api/contacts?page=9")).andExpect(jsonPath("$.items", hasSize(0)))
                .andExpect(jsonPath("$.total").value(4));
    }

    @Test
    void badListParametersAreA400NamingEachField() throws Exception {
        mvc.perform(analyst("/api/contacts?page=-1&size=0&stage=WON&source=web"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(400))
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("page", "size", "stage", "source")));
        mvc.perform(analyst("/api/contacts?size=1001")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("size"));
        mvc.perform(analyst("/api/contacts?size=1000")).andExpect(status().isOk());
        mvc.perform(analyst("/api/contacts?page=x")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("page"));
    }

    @Test
    void contactsAsTheyStoodAtAPastAsOf() throws Exception {
        // at 8h: A in OPPORTUNITY since 6h, B in OPPORTUNITY since 5h, D a LEAD since 5h and sam's since 7h;
        // C not yet captured
        String eightHours = "asOf=2024-01-01T08:00:00Z";
        mvc.perform(analyst("/api/contacts?" + eightHours))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.total").value(3))
                .andExpect(jsonPath("$.items[*].contactId").value(contains(sample.a.contactId().toString(),
                        sample.b.contactId().toString(), sample.d.contactId().toString())))
                .andExpect(jsonPath("$.items[*].stage").value(contains("OPPORTUNITY", "OPPORTUNITY", "LEAD")))
                .andExpect(jsonPath("$.items[*].stageEnteredAt").value(contains("2024-01-01T06:00:00Z",
                        "2024-01-01T05:00:00Z", "2024-01-01T05:00:00Z")))
                .andExpect(jsonPath("$.items[*].owner").value(contains("sam", "kim", "sam")));
        mvc.perform(analyst("/api/contacts?stage=OPPORTUNITY&" + eightHours))
                .andExpect(jsonPath("$.total").value(2))
                .andExpect(jsonPath("$.items[*].contactId").value(contains(sample.a.contactId().toString(),
                        sample.b.contactId().toString())));
        mvc.perform(analyst("/api/contacts?stage=LEAD&size=1&page=1&" + eightHours))
                .andExpect(jsonPath("$.total").value(1))
                .andExpect(jsonPath("$.items", hasSize(0)));
        // the owner as of asOf, as in the reports: D became sam's at 7h
        mvc.perform(analyst("/api/contacts?owner=sam&asOf=2024-01-01T06:00:00Z"))
                .andExpect(jsonPath("$.total").value(1))
                .andExpect(jsonPath("$.items[0].contactId").value(sample.a.contactId().toString()));
        mvc.perform(analyst("/api/contacts?owner=sam&" + eightHours))
                .andExpect(jsonPath("$.total").value(2));
        mvc.perform(analyst("/api/contacts?stage=LEAD&asOf=2024-01-01T06:00:00Z"))
                .andExpect(jsonPath("$.items[*].owner").value(contains(nullValue())));
    }

    @Test
    void oneContactAsItStoodAtAPastAsOf() throws Exception {
        // an event at exactly asOf counts: A was qualified at 3h
        mvc.perform(analyst("/api/contacts/" + sample.a.contactId() + "?asOf=2024-01-01T03:00:00Z"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.stage").value("PROSPECT"))
                .andExpect(jsonPath("$.stageEnteredAt").value("2024-01-01T03:00:00Z"))
                .andExpect(jsonPath("$.capturedAt").value("2024-01-01T00:00:00Z"))
                .andExpect(jsonPath("$.version").value(6))
                .andExpect(header().string(HttpHeaders.ETAG, "\"6\""));
        mvc.perform(analyst("/api/contacts/" + sample.c.contactId() + "?asOf=2024-02-01T03:00:00Z"))
                .andExpect(jsonPath("$.stage").value("DISQUALIFIED"));
        mvc.perform(analyst("/api/contacts/" + sample.c.contactId() + "?asOf=2024-01-31T23:59:59Z"))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value(containsString("captured by asOf")));
        mvc.perform(analyst("/api/contacts/" + sample.a.contactId() + "?asOf=yesterday"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("asOf"));
    }

    @Test
    void contactsCapturedInARange() throws Exception {
        mvc.perform(analyst("/api/contacts?from=2024-01-01T02:00:00Z&to=2024-01-01T06:00:00Z"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.total").value(2))
                .andExpect(jsonPath("$.items[*].contactId").value(contains(sample.b.contactId().toString(),
                        sample.d.contactId().toString())));
        mvc.perform(analyst("/api/contacts?stage=LEAD&from=" + SamplePipeline.FEB))
                .andExpect(jsonPath("$.total").value(1))
                .andExpect(jsonPath("$.items[0].contactId").value(sample.c.contactId().toString()));
        mvc.perform(analyst("/api/contacts?from=2024-01-01T00:00:00Z&to=2024-01-01T03:00:00Z"
                        + "&asOf=2024-01-01T08:00:00Z"))
                .andExpect(jsonPath("$.total").value(2))
                .andExpect(jsonPath("$.items[*].stage").value(contains("OPPORTUNITY", "OPPORTUNITY")));
        mvc.perform(analyst("/api/contacts?from=2024-01-02T00:00:00Z&to=2024-01-01T00:00:00Z&asOf=x"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("asOf", "to")));
    }

    @Test
    void theListsTotalOfAStageIsTheFunnelsCurrentCount() throws Exception {
        for (String filter : List.of("", "owner=sam&", "source=WEB_FORM&campaign=spring&", "from=2024-01-01T02:00:00Z&")) {
            for (String asOf : List.of("2024-01-01T04:30:00Z", "2024-01-01T09:00:00Z", "2024-02-01T03:00:00Z",
                    LATER.toString())) {
                String funnel = mvc.perform(analyst("/api/reports/funnel?" + filter + "asOf=" + asOf))
                        .andReturn().getResponse().getContentAsString();
                for (String stage : List.of("LEAD", "MQL", "PROSPECT", "OPPORTUNITY", "CUSTOMER", "ADVOCATE")) {
                    List<Number> ofStage = JsonPath.read(funnel, "$.stages[?(@.stage == '" + stage + "')].current");
                    assertThat(ofStage).as(stage).hasSize(1);
                    long current = ofStage.get(0).longValue();
                    assertListTotal(filter + "stage=" + stage + "&asOf=" + asOf, current);
                }
                for (String exit : List.of("DISQUALIFIED", "LOST")) {
                    long current = ((Number) JsonPath.read(funnel, "$.exits." + exit)).longValue();
                    assertListTotal(filter + "stage=" + exit + "&asOf=" + asOf, current);
                }
            }
        }
    }

    private void assertListTotal(String query, long expected) throws Exception {
        String page = mvc.perform(analyst("/api/contacts?" + query)).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(((Number) JsonPath.read(page, "$.total")).longValue()).as(query)
                .isEqualTo(expected);
        assertThat((List<?>) JsonPath.read(page, "$.items")).as(query).hasSize((int) expected);
    }

    // ---- reports

    @Test
    void theFunnel() throws Exception {
        mvc.perform(analyst("/api/reports/funnel?" + AS_OF))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.stages[*].stage").value(contains("LEAD", "MQL", "PROSPECT", "OPPORTUNITY",
                        "CUSTOMER", "ADVOCATE")))
                .andExpect(jsonPath("$.stages[*].reached").value(contains(4, 3, 2, 2, 1, 1)))
                .andExpect(jsonPath("$.stages[*].current").value(contains(2, 0, 0, 0, 0, 1)))
                .andExpect(jsonPath("$.exits.DISQUALIFIED").value(0))
                .andExpect(jsonPath("$.exits.LOST").value(1));
        mvc.perform(analyst("/api/reports/funnel?mode=strict&" + AS_OF))
                .andExpect(jsonPath("$.stages[*].reached").value(contains(4, 2, 2, 2, 1, 1)));
        mvc.perform(analyst("/api/reports/funnel?owner=kim&source=REFERRAL&from=2024-01-01T00:00:00Z"
                        + "&to=2024-01-02T00:00:00Z&campaign=&" + AS_OF))
                .andExpect(jsonPath("$.stages[*].reached").value(contains(1, 1, 1, 1, 0, 0)));
    }

    @Test
    void conversionRates() throws Exception {
        mvc.perform(analyst("/api/reports/conversion-rates?" + AS_OF))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.groups", hasSize(1)))
                .andExpect(jsonPath("$.groups[0].group").value("all"))
                .andExpect(jsonPath("$.groups[0].transitions[0].from").value("LEAD"))
                .andExpect(jsonPath("$.groups[0].transitions[0].to").value("MQL"))
                .andExpect(jsonPath("$.groups[0].transitions[0].numerator").value(3))
                .andExpect(jsonPath("$.groups[0].transitions[0].denominator").value(4))
                .andExpect(jsonPath("$.groups[0].transitions[0].rate").value(0.75))
                .andExpect(jsonPath("$.groups[0].transitions[*].to").value(contains("MQL", "PROSPECT", "OPPORTUNITY",
                        "CUSTOMER", "ADVOCATE")))
                .andExpect(jsonPath("$.groups[0].leadToCustomer.numerator").value(1))
                .andExpect(jsonPath("$.groups[0].leadToCustomer.denominator").value(4))
                .andExpect(jsonPath("$.groups[0].leadToCustomer.rate").value(0.25))
                .andExpect(jsonPath("$.groups[0].winRate.numerator").value(1))
                .andExpect(jsonPath("$.groups[0].winRate.denominator").value(2))
                .andExpect(jsonPath("$.groups[0].winRate.rate").value(0.5));
        mvc.perform(analyst("/api/reports/conversion-rates?groupBy=cohortMonth&" + AS_OF))
                .andExpect(jsonPath("$.groups[*].group").value(contains("2024-01", "2024-02")));
        mvc.perform(analyst("/api/reports/conversion-rates?groupBy=source&asOf=2024-01-01T08:00:00Z"))
                .andExpect(jsonPath("$.groups[*].group").value(contains("AD", "REFERRAL", "WEB_FORM")))
                .andExpect(jsonPath("$.groups[0].transitions[4].rate").value(nullValue()))
                .andExpect(jsonPath("$.groups[0].winRate.rate").value(nullValue()));
    }

    @Test
    void stageDurations() throws Exception {
        mvc.perform(analyst("/api/reports/stage-durations?" + AS_OF))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.stages[*].stage").value(contains("LEAD", "MQL", "PROSPECT", "OPPORTUNITY",
                        "CUSTOMER", "ADVOCATE")))
                .andExpect(jsonPath("$.stages[0].count").value(3))
                .andExpect(jsonPath("$.stages[0].avgSeconds").value(4800.0))
                .andExpect(jsonPath("$.stages[0].p50Seconds").value(3600))
                .andExpect(jsonPath("$.stages[0].p90Seconds").value(7200))
                .andExpect(jsonPath("$.stages[0].maxSeconds").value(7200))
                .andExpect(jsonPath("$.stages[0].openCount").value(2))
                .andExpect(jsonPath("$.stages[5].count").value(0))
                .andExpect(jsonPath("$.stages[5].avgSeconds").value(nullValue()))
                .andExpect(jsonPath("$.stages[5].openCount").value(1))
                .andExpect(jsonPath("$.stages[5].openAvgAgeSeconds")
                        .value((double) (LATER.getEpochSecond() - Instant.parse("2024-01-01T20:00:00Z").getEpochSecond())));
    }

    @Test
    void everyReportAnswersCsv() throws Exception {
        String funnel = mvc.perform(analyst("/api/reports/funnel?" + AS_OF).accept("text/csv"))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith("text/csv"))
                .andReturn().getResponse().getContentAsString();
        assertThat(funnel.split("\r\n")).containsExactly("stage,reached,current", "LEAD,4,2", "MQL,3,0",
                "PROSPECT,2,0", "OPPORTUNITY,2,0", "CUSTOMER,1,0", "ADVOCATE,1,1", "DISQUALIFIED,,0", "LOST,,1");

        String rates = mvc.perform(analyst("/api/reports/conversion-rates?" + AS_OF).accept("text/csv"))
                .andExpect(status().isOk()).andExpect(content().contentTypeCompatibleWith("text/csv"))
                .andReturn().getResponse().getContentAsString();
        assertThat(rates.split("\r\n")).containsExactly(
                "group,metric,from,to,numerator,denominator,rate",
                "all,transition,LEAD,MQL,3,4,0.75",
                "all,transition,MQL,PROSPECT,2,3,0.6666666666666666",
                "all,transition,PROSPECT,OPPORTUNITY,2,2,1.0",
                "all,transition,OPPORTUNITY,CUSTOMER,1,2,0.5",
                "all,transition,CUSTOMER,ADVOCATE,1,1,1.0",
                "all,leadToCustomer,LEAD,CUSTOMER,1,4,0.25",
                "all,winRate,,,1,2,0.5");

        String durations = mvc.perform(analyst("/api/reports/stage-durations?" + AS_OF)
                        .header(HttpHeaders.ACCEPT, "text/csv, application/json;q=0.5"))
                .andExpect(status().isOk()).andExpect(content().contentTypeCompatibleWith("text/csv"))
                .andReturn().getResponse().getContentAsString();
        String[] lines = durations.split("\r\n");
        assertThat(lines).hasSize(7);
        assertThat(lines[0]).isEqualTo("stage,count,avgSeconds,p50Seconds,p90Seconds,maxSeconds,openCount,openAvgAgeSeconds");
        assertThat(lines[2]).isEqualTo("MQL,2,5400.0,3600,7200,7200,0,");
    }

    @Test
    void anyTextIsCsvUnlessJsonIsPreferred() throws Exception {
        mvc.perform(analyst("/api/reports/funnel").header(HttpHeaders.ACCEPT, "text/*"))
                .andExpect(status().isOk()).andExpect(content().contentTypeCompatibleWith("text/csv"));
        mvc.perform(analyst("/api/reports/stage-durations").header(HttpHeaders.ACCEPT, "application/json, text/*;q=0.5"))
                .andExpect(status().isOk()).andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON));
        // the more specific range decides: text/csv refused, text/* does not bring it back
        mvc.perform(analyst("/api/reports/funnel").header(HttpHeaders.ACCEPT, "text/*, text/csv;q=0, application/json;q=0.1"))
                .andExpect(status().isOk()).andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON));
    }

    @Test
    void jsonWinsATieAndWhatTheAcceptHeaderRefusesIsNotAnswered() throws Exception {
        mvc.perform(analyst("/api/reports/funnel").header(HttpHeaders.ACCEPT, "application/json, text/csv"))
                .andExpect(status().isOk()).andExpect(content().contentType(MediaType.APPLICATION_JSON));
        mvc.perform(analyst("/api/reports/funnel").header(HttpHeaders.ACCEPT, "application/json;q=0, text/csv"))
                .andExpect(status().isOk()).andExpect(content().contentTypeCompatibleWith("text/csv"));
        // the more specific refusal stands inside */* (RFC 9110): anything but JSON
        mvc.perform(analyst("/api/reports/funnel").header(HttpHeaders.ACCEPT, "application/json;q=0, */*"))
                .andExpect(status().isOk()).andExpect(content().contentTypeCompatibleWith("text/csv"));
        mvc.perform(analyst("/api/reports/conversion-rates").header(HttpHeaders.ACCEPT, "application/json;q=0, text/csv;q=0"))
                .andExpect(status().isNotAcceptable())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        // a report is no problem: it is not labelled as one
        mvc.perform(analyst("/api/reports/stage-durations").header(HttpHeaders.ACCEPT, "application/problem+json"))
                .andExpect(status().isNotAcceptable());
        mvc.perform(analyst("/api/contacts").header(HttpHeaders.ACCEPT, "application/problem+json"))
                .andExpect(status().isNotAcceptable());
        mvc.perform(analyst("/api/reports/funnel").header(HttpHeaders.ACCEPT, "application/problem+json, application/json;q=0.5"))
                .andExpect(status().isOk()).andExpect(content().contentType(MediaType.APPLICATION_JSON));
    }

    @Test
    void jsonIsTheDefault() throws Exception {
        mvc.perform(analyst("/api/reports/funnel").accept(MediaType.ALL))
                .andExpect(status().isOk()).andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON));
        mvc.perform(analyst("/api/reports/funnel"))
                .andExpect(status().isOk()).andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON));
    }

    @Test
    void badReportParametersAreA400NamingEachField() throws Exception {
        mvc.perform(analyst("/api/reports/funnel?from=yesterday&asOf=2024-13-01T00:00:00Z&source=NEWSPAPER&mode=sideways"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(400))
                .andExpect(jsonPath("$.title").exists())
                .andExpect(jsonPath("$.detail").exists())
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("from", "asOf", "source", "mode")))
                .andExpect(jsonPath("$.errors[0].message").exists());
        mvc.perform(analyst("/api/reports/conversion-rates?groupBy=region"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("groupBy"));
        mvc.perform(analyst("/api/reports/stage-durations?from=2024-03-01T00:00:00Z&to=2024-02-01T00:00:00Z"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("to"));
    }

    @Test
    void aParameterGivenTwiceIsA400NotItsValuesJoined() throws Exception {
        for (String uri : List.of("/api/contacts?campaign=spring&campaign=summer",
                "/api/reports/funnel?campaign=spring&campaign=summer", "/api/contacts/" + sample.a.contactId()
                        + "?campaign=spring&campaign=summer")) {
            mvc.perform(analyst(uri)).andExpect(status().isBadRequest())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.errors[0].field").value("campaign"))
                    .andExpect(jsonPath("$.errors[0].message").value(containsString("2 times")));
        }
        mvc.perform(analyst("/api/reports/stage-durations?owner=sam&owner=sam&source=AD&source=AD"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("owner", "source")));
    }

    /** No contact holds U+0000 (commands refuse it), and PostgreSQL cannot take it as a statement's value. */
    @Test
    void aNulInATextParameterOrAControlCharacterInAnInstantOrNumberIsA400() throws Exception {
        for (String uri : List.of("/api/reports/funnel?campaign=spring%00", "/api/reports/stage-durations?owner=%00",
                "/api/contacts?owner=sam%00&campaign=%00x")) {
            mvc.perform(analystAsSent(uri)).andExpect(status().isBadRequest())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.errors[0].message").value(containsString("U+0000")));
        }
        mvc.perform(analystAsSent("/api/contacts?owner=sam%00&campaign=%00x")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("owner", "campaign")));
        // trimmed, an instant or a number lost a control character at its end with the spaces
        mvc.perform(analystAsSent("/api/reports/funnel?asOf=2026-01-01T00:00:00Z%00&from=2025-01-01T00:00:00Z%01"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("asOf", "from")));
        mvc.perform(analystAsSent("/api/contacts?page=1%00")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("page"));
        mvc.perform(analystAsSent("/api/reports/funnel?asOf=%202026-01-01T00:00:00Z%20")).andExpect(status().isOk());
    }

    @Test
    void anEnumValueWithSpacesAroundItIsUnknownNotTrimmed() throws Exception {
        mvc.perform(analystAsSent("/api/reports/funnel?source=%20AD&mode=strict%20")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("source", "mode")));
        mvc.perform(analystAsSent("/api/reports/conversion-rates?groupBy=%20source")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("groupBy"));
        mvc.perform(analystAsSent("/api/contacts?stage=LEAD%20")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("stage"));
        mvc.perform(analystAsSent("/api/reports/funnel?source=AD&mode=strict")).andExpect(status().isOk());
    }

    @Test
    void instantsOutsideTheYears1To9999AreA400AndTheEdgesAreAnswered() throws Exception {
        for (String report : List.of("funnel", "conversion-rates", "stage-durations")) {
            for (String instant : List.of("+999999999-12-31T23:59:59Z", "-300000-01-01T00:00:00Z",
                    "0000-12-31T23:59:59Z", "+10000-01-01T00:00:00Z")) {
                mvc.perform(analyst("/api/reports/" + report).param("asOf", instant).param("from", instant))
                        .andExpect(status().isBadRequest())
                        .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("asOf", "from")));
            }
            mvc.perform(analyst("/api/reports/" + report).param("asOf", "9999-12-31T23:59:59.999999Z")
                            .param("from", "0001-01-01T00:00:00Z"))
                    .andExpect(status().isOk());
            // nanoseconds are rounded down to the microsecond: this is the last one still
            mvc.perform(analyst("/api/reports/" + report).param("asOf", "9999-12-31T23:59:59.999999999Z"))
                    .andExpect(status().isOk());
        }
        mvc.perform(analyst("/api/contacts").param("asOf", "-300000-01-01T00:00:00Z"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("asOf"));
    }

    @Test
    void fromEqualToToIsAnEmptyCohortNotAnError() throws Exception {
        String empty = "from=2024-01-01T09:00:00Z&to=2024-01-01T09:00:00Z&" + AS_OF;
        mvc.perform(analyst("/api/reports/funnel?" + empty))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.stages[*].reached").value(contains(0, 0, 0, 0, 0, 0)))
                .andExpect(jsonPath("$.stages[*].current").value(contains(0, 0, 0, 0, 0, 0)))
                .andExpect(jsonPath("$.exits.LOST").value(0));
        mvc.perform(analyst("/api/reports/conversion-rates?" + empty))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.groups[0].leadToCustomer.denominator").value(0))
                .andExpect(jsonPath("$.groups[0].leadToCustomer.rate").value(nullValue()))
                .andExpect(jsonPath("$.groups[0].winRate.denominator").value(0));
        mvc.perform(analyst("/api/reports/stage-durations?" + empty))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.stages[*].count").value(contains(0, 0, 0, 0, 0, 0)))
                .andExpect(jsonPath("$.stages[*].openCount").value(contains(0, 0, 0, 0, 0, 0)));
    }

    @Test
    void aBadParameterIsAProblemEvenWhenCsvWasAskedFor() throws Exception {
        mvc.perform(analyst("/api/reports/funnel?asOf=soon").accept("text/csv"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[0].field").value("asOf"));
    }

    // ---- keys and roles

    @Test
    void withoutAKnownKey401() throws Exception {
        mvc.perform(get("/api/reports/funnel")).andExpect(status().isUnauthorized());
        mvc.perform(as("no-such-key", "/api/reports/funnel")).andExpect(status().isUnauthorized());
        mvc.perform(get("/api/contacts/" + sample.a.contactId())).andExpect(status().isUnauthorized());
    }

    @Test
    void rolesDecideWhatMayBeRead() throws Exception {
        mvc.perform(as("service-dev-key", "/api/reports/funnel")).andExpect(status().isForbidden());
        mvc.perform(as("service-dev-key", "/api/contacts/" + sample.a.contactId())).andExpect(status().isForbidden());
        mvc.perform(as("auditor-dev-key", "/api/reports/conversion-rates")).andExpect(status().isForbidden());
        mvc.perform(as("auditor-dev-key", "/api/contacts/" + sample.a.contactId())).andExpect(status().isOk());
        mvc.perform(as("auditor-dev-key", "/api/contacts")).andExpect(status().isOk());
        mvc.perform(as("admin-dev-key", "/api/reports/stage-durations")).andExpect(status().isOk());
        mvc.perform(as("analyst-dev-key", "/api/reports/stage-durations")).andExpect(status().isOk());
    }

    // ---- the projection behind Axon

    @Test
    void anEventTheProjectionCannotApplyIsParkedWithItsContactInsteadOfBeingSkipped() throws Exception {
        ContactHistory stranger = ContactHistory.capture(Instant.parse("2024-01-03T00:00:00Z"), LeadSource.AD, null, null)
                .mql(Instant.parse("2024-01-03T01:00:00Z"));

        publish(stranger.events().get(1));

        mvc.perform(as("admin-dev-key", "/api/admin/dead-letters"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.contacts[?(@.contactId == '" + stranger.contactId() + "')].events[0].type")
                        .value("LeadMarketingQualified"))
                .andExpect(jsonPath("$.contacts[?(@.contactId == '" + stranger.contactId() + "')].events[0].causeMessage")
                        .value(org.hamcrest.Matchers.hasItem(containsString("never applied"))));
        mvc.perform(as("analyst-dev-key", "/api/admin/dead-letters")).andExpect(status().isForbidden());
        // the reports lack the parked event, and say so; a read here never waits, there is no event store to follow
        mvc.perform(as("analyst-dev-key", "/api/reports/funnel"))
                .andExpect(status().isOk())
                .andExpect(header().string("Read-Model-Behind", "true"));
    }
}
