package com.salespipeline.query.duration;

import com.salespipeline.common.web.CsvPreference;
import com.salespipeline.query.lifecycle.ReportFilter;
import com.salespipeline.query.web.Csv;
import com.salespipeline.query.web.Parameters;
import com.salespipeline.query.web.ReportParameters;
import com.salespipeline.query.web.ReportQuery;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class StageDurationController {

    private final StageDurationQueries queries;
    private final ReportParameters reportParameters;

    StageDurationController(StageDurationQueries queries, ReportParameters reportParameters) {
        this.queries = queries;
        this.reportParameters = reportParameters;
    }

    @GetMapping(path = "/api/reports/stage-durations", produces = {Csv.JSON, Csv.CSV})
    ResponseEntity<?> stageDurations(ReportQuery query,
                                     @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
        Parameters parameters = new Parameters();
        ReportFilter filter = reportParameters.filter(parameters, query);
        parameters.check();
        StageDurationReport report = queries.stageDurations(filter);
        return CsvPreference.preferred(accept) ? csv(report).response() : Csv.json(report);
    }

    static Csv csv(StageDurationReport report) {
        Csv csv = new Csv("stage", "count", "avgSeconds", "p50Seconds", "p90Seconds", "maxSeconds", "openCount",
                "openAvgAgeSeconds");
        for (StageDurationReport.StageDuration stage : report.stages()) {
            csv.row(stage.stage(), stage.count(), stage.avgSeconds(), stage.p50Seconds(), stage.p90Seconds(),
                    stage.maxSeconds(), stage.openCount(), stage.openAvgAgeSeconds());
        }
        return csv;
    }
}
