package com.salespipeline.query.contact;

import com.salespipeline.events.Stage;
import com.salespipeline.query.lifecycle.ReportFilter;
import com.salespipeline.query.web.Parameters;
import com.salespipeline.query.web.ReportParameters;
import com.salespipeline.query.web.ReportQuery;
import java.time.Instant;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * One contact, or a page of them, as they stand now or, given {@code asOf}, as they stood then. The list takes the
 * reports' parameters with their meaning (api.md: from, to, asOf, source, campaign, owner), so that its total for a
 * stage is the funnel's {@code current} count of that stage.
 */
@RestController
class ContactQueryController {

    static final int MAX_PAGE_SIZE = 1000;

    private final ContactQueries queries;
    private final ReportParameters reportParameters;

    ContactQueryController(ContactQueries queries, ReportParameters reportParameters) {
        this.queries = queries;
        this.reportParameters = reportParameters;
    }

    /**
     * The contact with its version as {@code ETag}, the form a command's {@code If-Match} takes: a client that read
     * the contact can send its next command on that condition.
     */
    @GetMapping(path = "/api/contacts/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ContactView> contact(@PathVariable String id, @RequestParam(required = false) String asOf) {
        Parameters parameters = new Parameters();
        Instant asOfInstant = parameters.instant("asOf", asOf);
        parameters.check();
        UUID contactId;
        try {
            contactId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new ContactNotFound(id);
        }
        ContactView contact = asOfInstant == null
                ? queries.find(contactId).orElseThrow(() -> new ContactNotFound(id))
                : queries.find(contactId, asOfInstant).orElseThrow(() -> new ContactNotFound(id, asOfInstant));
        return ResponseEntity.ok().eTag("\"" + contact.version() + "\"").body(contact);
    }

    @GetMapping(path = "/api/contacts", produces = MediaType.APPLICATION_JSON_VALUE)
    ContactPage contacts(@RequestParam(required = false) String stage, ReportQuery query,
                         @RequestParam(required = false) String page, @RequestParam(required = false) String size) {
        Parameters parameters = new Parameters();
        ReportFilter filter = reportParameters.filter(parameters, query);
        Stage stageFilter = parameters.enumValue("stage", stage, Stage.class);
        int pageNumber = parameters.integer("page", page, 0, 0, Integer.MAX_VALUE);
        int pageSize = parameters.integer("size", size, 50, 1, MAX_PAGE_SIZE);
        parameters.check();
        if (Parameters.text(query.asOf()) != null) {
            return queries.listAsOf(stageFilter, filter, pageNumber, pageSize);
        }
        return queries.list(stageFilter, filter.owner(), filter.source(), filter.campaign(), filter.from(),
                filter.to(), pageNumber, pageSize);
    }
}
