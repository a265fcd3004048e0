package io.hexbus.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one harness run: each measured after its warm-up, repeated, and reported as a table (median, min,
 * max, ratio to its ceiling of the same run) and as JSON. Shared by {@link RedisHarness} and {@link KafkaHarness}.
 * Not thread-safe: one harness thread.
 */
final class Figures {

    /** One figure: a rate (higher is better) or a latency in ms, with its runs. */
    record Figure(String name, String unit, double[] runs, String ceiling, Double target, String note) {
        double median() {
            double[] s = runs.clone();
            Arrays.sort(s);
            return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        }

        double min() {
            return Arrays.stream(runs).min().orElse(Double.NaN);
        }

        double max() {
            return Arrays.stream(runs).max().orElse(Double.NaN);
        }
    }

    /** What a figure is, before it is measured. */
    record Spec(String name, String unit, String ceiling, Double target, String note) {
    }

    /** One run of a figure. */
    interface Run {
        double once() throws Exception;
    }

    /** One round of figures measured together (each round gives one value per figure, in order). */
    interface Round {
        double[] once() throws Exception;
    }

    /**
     * How a figure is warmed before its measured runs: untimed runs, at least {@code min} and at most {@code max},
     * stopping once the last {@code window} runs agree within {@code tolerance} for every figure of the round
     * (each within that fraction of the largest of them; with a window of 2, the later differs from the earlier by
     * at most that fraction of the later). How many it took is printed and kept with each figure.
     */
    record WarmUp(int min, int max, double tolerance, int window) {
        /** One untimed run, as the Redis harness did before issue 20. */
        static final WarmUp ONCE = new WarmUp(1, 1, 0);

        /** The last two runs agree: the rule of the Kafka, RabbitMQ and outbox harnesses. */
        WarmUp(int min, int max, double tolerance) {
            this(min, max, tolerance, 2);
        }

        boolean stable(double[] previous, double[] last) {
            if (previous == null) {
                return false;
            }
            for (int i = 0; i < last.length; i++) {
                if (Math.abs(last[i] - previous[i]) > tolerance * Math.abs(last[i])) {
                    return false;
                }
            }
            return true;
        }

        /** Whether the last {@link #window()} rounds of {@code history} agree, for every figure. */
        boolean stable(List<double[]> history) {
            if (window <= 2) {
                return history.size() >= 2 && stable(history.get(history.size() - 2), history.get(history.size() - 1));
            }
            if (history.size() < window) {
                return false;
            }
            List<double[]> last = history.subList(history.size() - window, history.size());
            for (int i = 0; i < last.get(0).length; i++) {
                double lo = Double.POSITIVE_INFINITY;
                double hi = Double.NEGATIVE_INFINITY;
                for (double[] round : last) {
                    lo = Math.min(lo, round[i]);
                    hi = Math.max(hi, round[i]);
                }
                if (hi - lo > tolerance * Math.abs(hi)) {
                    return false;
                }
            }
            return true;
        }

        /** The rule in words, for the output. */
        String describe() {
            return max <= 1 ? max + " untimed run" : String.format(Locale.ROOT, "untimed runs until the last %d agree"
                    + " within %.0f%%, at least %d, at most %d", window, tolerance * 100, min, max);
        }
    }

    final int runs;
    final List<Figure> all = new ArrayList<>();
    final Map<String, Object> extra = new LinkedHashMap<>();
    /** Per figure measured with a warm-up: how many untimed rounds it took. */
    final Map<String, Integer> warmUpRounds = new HashMap<>();
    /** Per figure measured with a warm-up: whether the rule was met (false: measured anyway after the cap). */
    final Map<String, Boolean> warmUpStable = new HashMap<>();
    /** Per figure measured with {@link #measureTogether}: the number of its round group (same rounds, same group). */
    final Map<String, Integer> roundGroup = new HashMap<>();
    private WarmUp warmUp;

    Figures(int runs, WarmUp warmUp) {
        this.runs = runs;
        this.warmUp = warmUp;
    }

    /** Sets the warm-up of the figures measured from now on; {@code null} for none (latency parts). */
    void warmUp(WarmUp value) {
        warmUp = value;
    }

    void add(Figure figure) {
        all.add(figure);
    }

    void measure(String name, String unit, String ceiling, Double target, String note, Run run) throws Exception {
        measureTogether(List.of(new Spec(name, unit, ceiling, target, note)), () -> new double[] {run.once()});
    }

    /**
     * Warms and measures figures whose values come from one round each (a figure and its ceiling on the same
     * records, say): the warm-up rule applies to all of them at once, and run <i>i</i> of each is from round
     * <i>i</i>.
     */
    void measureTogether(List<Spec> specs, Round round) throws Exception {
        int warmed = 0;
        boolean stable = true;
        if (warmUp != null) {
            List<double[]> history = new ArrayList<>();
            for (int i = 1; i <= warmUp.max(); i++) {
                double[] last = round.once(); // untimed for the figures: the JIT compiles the paths first
                history.add(last);
                warmed = i;
                System.out.printf(Locale.ROOT, "  warm-up %d: %s%n", i, describe(specs, last));
                stable = warmUp.stable(history);
                if (i >= warmUp.min() && stable) {
                    break;
                }
            }
            if (warmUp.max() > 1) {
                System.out.printf(Locale.ROOT, stable ? "  stable after %d warm-up rounds (%s)%n"
                        : "  not stable after %d warm-up rounds (%s): measured anyway%n", warmed, warmUp.describe());
            }
        }
        double[][] values = new double[specs.size()][runs];
        for (int r = 0; r < runs; r++) {
            double[] got = round.once();
            for (int s = 0; s < specs.size(); s++) {
                values[s][r] = got[s];
            }
            System.out.printf(Locale.ROOT, "  run %d: %s%n", r + 1, describe(specs, got));
        }
        int group = roundGroup.size() + 1;
        for (int s = 0; s < specs.size(); s++) {
            Spec spec = specs.get(s);
            roundGroup.put(spec.name(), group);
            all.add(new Figure(spec.name(), spec.unit(), values[s], spec.ceiling(), spec.target(), spec.note()));
            if (warmUp != null) {
                warmUpRounds.put(spec.name(), warmed);
                warmUpStable.put(spec.name(), warmUp.max() <= 1 || stable);
            }
        }
    }

    /**
     * @return the figure's run i over its ceiling's run i, when both were measured in the same rounds (the ratio
     *         least moved by the load of a shared machine); null otherwise
     */
    double[] roundRatios(Figure f, Figure ceiling) {
        if (ceiling == null || roundGroup.get(f.name()) == null
                || !roundGroup.get(f.name()).equals(roundGroup.get(ceiling.name()))
                || f.runs().length != ceiling.runs().length) {
            return null;
        }
        double[] r = new double[f.runs().length];
        for (int i = 0; i < r.length; i++) {
            r[i] = f.runs()[i] / ceiling.runs()[i];
        }
        return r;
    }

    private static String describe(List<Spec> specs, double[] values) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < specs.size(); i++) {
            s.append(i == 0 ? "" : "; ").append(specs.get(i).name()).append(String.format(Locale.ROOT, " %,.0f %s",
                    values[i], specs.get(i).unit()));
        }
        return s.toString();
    }

    /** Prints the table and writes the JSON to {@code benchmarks/target/<file>} (or the working directory). */
    void report(String header, String file) throws IOException {
        Map<String, Figure> byName = new HashMap<>();
        all.forEach(f -> byName.put(f.name(), f));
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "%n%-70s %12s %12s %12s %-9s %5s %6s %8s %8s %s%n", "figure", "median",
                "min", "max", "unit", "runs", "warm", "ratio", "target", "met"));
        StringBuilder json = new StringBuilder("{\n  ").append(header).append(",\n");
        json.append("  \"runs\": ").append(runs).append(",\n");
        json.append("  \"figures\": [\n");
        for (int i = 0; i < all.size(); i++) {
            Figure f = all.get(i);
            Figure ceiling = f.ceiling() == null ? null : byName.get(f.ceiling());
            Double ratio = ceiling == null ? null : f.median() / ceiling.median();
            double[] roundRatios = roundRatios(f, ceiling);
            String met = f.target() == null || ratio == null ? "" : ratio >= f.target() ? "met" : "MISSED";
            Integer warmed = warmUpRounds.get(f.name());
            String warm = warmed == null ? "" : warmed + (warmUpStable.getOrDefault(f.name(), true) ? "" : "!");
            String ratioText = ratio == null ? "" : String.format(Locale.ROOT, "%.1f%%", ratio * 100);
            String targetText = f.target() == null ? "" : String.format(Locale.ROOT, "%.0f%%", f.target() * 100);
            table.append(String.format(Locale.ROOT, "%-70s %12.3f %12.3f %12.3f %-9s %5d %6s %8s %8s %s%n", f.name(),
                    f.median(), f.min(), f.max(), f.unit(), f.runs().length, warm, ratioText, targetText, met));
            json.append(String.format(Locale.ROOT, "    {\"name\": \"%s\", \"unit\": \"%s\", \"median\": %.3f,"
                    + " \"min\": %.3f, \"max\": %.3f, \"runs\": %s, \"ceiling\": %s, \"ratio\": %s, \"target\": %s,"
                    + " \"warmUpRounds\": %s, \"warmUpStable\": %s, \"roundRatios\": %s, \"note\": \"%s\"}%s%n",
                    f.name(), f.unit(), f.median(), f.min(), f.max(), Arrays.toString(f.runs()),
                    f.ceiling() == null ? "null" : "\"" + f.ceiling() + "\"",
                    ratio == null ? "null" : String.format(Locale.ROOT, "%.4f", ratio),
                    f.target() == null ? "null" : f.target().toString(), warmed == null ? "null" : warmed.toString(),
                    warmed == null ? "null" : warmUpStable.getOrDefault(f.name(), true).toString(),
                    roundRatios == null ? "null" : Arrays.toString(roundRatios), f.note(),
                    i + 1 < all.size() ? "," : ""));
        }
        for (Figure f : all) {
            double[] r = roundRatios(f, f.ceiling() == null ? null : byName.get(f.ceiling()));
            if (r != null) {
                Figure asFigure = new Figure(f.name(), "", r, null, null, "");
                table.append(String.format(Locale.ROOT, "round by round, %s / its ceiling: median %.1f%%, min %.1f%%,"
                        + " max %.1f%% (%d rounds)%n", f.name(), asFigure.median() * 100, asFigure.min() * 100,
                        asFigure.max() * 100, r.length));
            }
        }
        json.append("  ],\n  \"extra\": ").append(toJson(extra)).append("\n}\n");
        table.append("runs: measured runs (median, min and max of them); warm: untimed warm-up rounds before them,"
                + " ! where the rule was not met within its cap\n");
        System.out.print(table);
        Path out = Path.of("benchmarks", "target", file);
        if (!Files.isDirectory(out.getParent())) {
            out = Path.of(file);
        }
        Files.writeString(out, json);
        System.out.println("\nWrote " + out.toAbsolutePath());
    }

    @SuppressWarnings("unchecked")
    static String toJson(Object value) {
        if (value instanceof Map<?, ?> map) {
            StringBuilder s = new StringBuilder("{");
            ((Map<String, Object>) map).forEach((k, v) -> s.append(s.length() > 1 ? ", " : "").append('"').append(k)
                    .append("\": ").append(toJson(v)));
            return s.append('}').toString();
        }
        if (value instanceof Number number) {
            return value instanceof Double d ? String.format(Locale.ROOT, "%.4f", d) : number.toString();
        }
        return "\"" + value + "\"";
    }
}
