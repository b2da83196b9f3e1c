package io.servicescluster.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The benchmark's results: a row per scenario, ours beside its floor, with the ratio and the target met or not. */
final class ResultTable {

    /**
     * One scenario: {@code target} is a ratio (ours / baseline) when {@code ratioTarget}, else a
     * median in milliseconds; NaN for none.
     */
    record Row(String scenario, Sample ours, String baselineName, Sample baseline, double target,
            boolean ratioTarget) {
    }

    private final List<Row> rows = new ArrayList<>();

    void add(Row row) {
        rows.add(row);
    }

    void print() {
        if (rows.isEmpty()) { // only rows that print tables of their own ran (x)
            return;
        }
        System.out.println();
        System.out.println("times in ms: median / p90 / min");
        String format = "%-50s %-22s %-26s %-22s %7s %9s %5s%n";
        System.out.printf(Locale.ROOT, format, "scenario", "ours", "baseline", "baseline med/p90/min", "ratio",
                "target", "met");
        for (Row row : rows) {
            double ratio = row.ours.medianMs() / row.baseline.medianMs();
            String target;
            String met;
            if (Double.isNaN(row.target)) {
                target = "-";
                met = "";
            } else if (row.ratioTarget) {
                target = String.format(Locale.ROOT, "<=%.1fx", row.target);
                met = ratio <= row.target ? "yes" : "NO";
            } else {
                target = String.format(Locale.ROOT, "<=%.0fms", row.target);
                met = row.ours.medianMs() <= row.target ? "yes" : "NO";
            }
            System.out.printf(Locale.ROOT, format, row.scenario, row.ours.brief(), row.baselineName,
                    row.baseline.brief(), String.format(Locale.ROOT, "%.2fx", ratio), target, met);
        }
        System.out.println();
    }
}
