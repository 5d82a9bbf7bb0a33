package com.salespipeline.query.conversion;

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
class ConversionRateController {

    private final ConversionQueries queries;
    private final ReportParameters reportParameters;

    ConversionRateController(ConversionQueries queries, ReportParameters reportParameters) {
        this.queries = queries;
        this.reportParameters = reportParameters;
    }

    @GetMapping(path = "/api/reports/conversion-rates", produces = {Csv.JSON, Csv.CSV})
    ResponseEntity<?> conversionRates(@RequestParam(required = false) String groupBy, ReportQuery query,
                                      @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
        Parameters parameters = new Parameters();
        ReportFilter filter = reportParameters.filter(parameters, query);
        GroupBy grouping = null;
        if (Parameters.text(groupBy) != null) {
            grouping = GroupBy.fromParameter(groupBy).orElse(null);
            if (grouping == null) {
                parameters.reject("groupBy", "'" + groupBy + "' is not one of " + GroupBy.parameters());
            }
        }
        parameters.check();
        ConversionReport report = queries.conversionRates(filter, grouping);
        return CsvPreference.preferred(accept) ? csv(report).response() : Csv.json(report);
    }

    static Csv csv(ConversionReport report) {
        Csv csv = new Csv("group", "metric", "from", "to", "numerator", "denominator", "rate");
        for (ConversionReport.Group group : report.groups()) {
            for (Ratio transition : group.transitions()) {
                row(csv, group.group(), "transition", transition);
            }
            row(csv, group.group(), "leadToCustomer", group.leadToCustomer());
            row(csv, group.group(), "winRate", group.winRate());
        }
        return csv;
    }

    private static void row(Csv csv, String group, String metric, Ratio ratio) {
        csv.row(group, metric, ratio.from(), ratio.to(), ratio.numerator(), ratio.denominator(), ratio.rate());
    }
}
