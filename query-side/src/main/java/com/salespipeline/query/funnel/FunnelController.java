package com.salespipeline.query.funnel;

import com.salespipeline.common.web.CsvPreference;
import com.salespipeline.query.lifecycle.ReportFilter;
import com.salespipeline.query.web.Csv;
import com.salespipeline.query.web.Parameters;
import com.salespipeline.query.web.ReportParameters;
import com.salespipeline.query.web.ReportQuery;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class FunnelController {

    private final FunnelQueries queries;
    private final ReportParameters reportParameters;

    FunnelController(FunnelQueries queries, ReportParameters reportParameters) {
        this.queries = queries;
        this.reportParameters = reportParameters;
    }

    @GetMapping(path = "/api/reports/funnel", produces = {Csv.JSON, Csv.CSV})
    ResponseEntity<?> funnel(@RequestParam(required = false) String mode, ReportQuery query,
                             @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
        Parameters parameters = new Parameters();
        ReportFilter filter = reportParameters.filter(parameters, query);
        FunnelMode funnelMode = FunnelMode.CUMULATIVE;
        if (Parameters.text(mode) != null) {
            funnelMode = FunnelMode.fromParameter(mode).orElse(null);
            if (funnelMode == null) {
                parameters.reject("mode", "'" + mode + "' is not one of [cumulative, strict]");
            }
        }
        parameters.check();
        FunnelReport report = queries.funnel(filter, funnelMode);
        return CsvPreference.preferred(accept) ? csv(report).response() : Csv.json(report);
    }

    static Csv csv(FunnelReport report) {
        Csv csv = new Csv("stage", "reached", "current");
        for (FunnelReport.StageCount stage : report.stages()) {
            csv.row(stage.stage(), stage.reached(), stage.current());
        }
        for (Map.Entry<?, Long> exit : report.exits().entrySet()) {
            csv.row(exit.getKey(), null, exit.getValue());
        }
        return csv;
    }
}
