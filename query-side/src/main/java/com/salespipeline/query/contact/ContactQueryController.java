package com.salespipeline.query.contact;

import com.salespipeline.events.LeadSource;
import com.salespipeline.events.Stage;
import com.salespipeline.query.web.Parameters;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class ContactQueryController {

    static final int MAX_PAGE_SIZE = 1000;

    private final ContactQueries queries;

    ContactQueryController(ContactQueries queries) {
        this.queries = queries;
    }

    @GetMapping("/api/contacts/{id}")
    ContactView contact(@PathVariable String id) {
        UUID contactId;
        try {
            contactId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new ContactNotFound(id);
        }
        return queries.find(contactId).orElseThrow(() -> new ContactNotFound(id));
    }

    @GetMapping("/api/contacts")
    ContactPage contacts(@RequestParam(required = false) String stage, @RequestParam(required = false) String owner,
                         @RequestParam(required = false) String source,
                         @RequestParam(required = false) String campaign,
                         @RequestParam(required = false) String page, @RequestParam(required = false) String size) {
        Parameters parameters = new Parameters();
        Stage stageFilter = parameters.enumValue("stage", stage, Stage.class);
        LeadSource sourceFilter = parameters.enumValue("source", source, LeadSource.class);
        int pageNumber = parameters.integer("page", page, 0, 0, Integer.MAX_VALUE);
        int pageSize = parameters.integer("size", size, 50, 1, MAX_PAGE_SIZE);
        parameters.check();
        return queries.list(stageFilter, Parameters.text(owner), sourceFilter, Parameters.text(campaign), pageNumber,
                pageSize);
    }
}
