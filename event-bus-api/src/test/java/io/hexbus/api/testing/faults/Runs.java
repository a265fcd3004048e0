package io.hexbus.api.testing.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The handler runs that {@link RunLog}s recorded, read back from their files. Immutable.
 *
 * @param all every run, in the order of the files and of the lines within each
 */
public record Runs(List<Run> all) {

    /**
     * One run of a subscription's handler on an event.
     *
     * @param worker       the name of the file it was recorded in, {@code <test>.<name>.log} (one per worker)
     * @param subscription the subscription
     * @param eventId      the event
     * @param startMillis  when it started (epoch ms)
     * @param endMillis    when it ended, or -1 if it never did (cut short by a kill or still running)
     */
    public record Run(String worker, String subscription, UUID eventId, long startMillis, long endMillis) {

        /** @return whether it ended */
        public boolean ended() {
            return endMillis >= 0;
        }
    }

    /**
     * @param all every run
     */
    public Runs {
        all = List.copyOf(all);
    }

    /**
     * Reads run logs; a file not yet created has no runs. A start is paired with the next end of its subscription
     * and event in the same file.
     *
     * @param files the files
     * @return their runs
     */
    public static Runs read(List<Path> files) {
        List<Run> runs = new ArrayList<>();
        for (Path file : files) {
            if (!Files.exists(file)) {
                continue;
            }
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String[] name = file.getFileName().toString().split("\\.");
            String worker = name.length > 2 ? name[name.length - 2] : file.getFileName().toString(); // TestLogs.file
            Map<String, List<Integer>> open = new HashMap<>(); // subscription and id -> indexes of runs not ended
            for (String line : lines) {
                String[] words = line.split(" ");
                if (words.length != 4) {
                    continue; // being written as it is read
                }
                String key = words[1] + " " + words[2];
                long millis = Long.parseLong(words[3]);
                if (words[0].equals("start")) {
                    open.computeIfAbsent(key, k -> new ArrayList<>()).add(runs.size());
                    runs.add(new Run(worker, words[1], UUID.fromString(words[2]), millis, -1));
                } else {
                    List<Integer> started = open.get(key);
                    if (started != null && !started.isEmpty()) {
                        int index = started.remove(0);
                        Run run = runs.get(index);
                        runs.set(index, new Run(run.worker(), run.subscription(), run.eventId(), run.startMillis(),
                                millis));
                    }
                }
            }
        }
        return new Runs(runs);
    }

    /**
     * @param subscription a subscription
     * @return the events it finished at least once
     */
    public Set<UUID> finished(String subscription) {
        return all.stream().filter(r -> r.subscription().equals(subscription) && r.ended()).map(Run::eventId)
                .collect(Collectors.toSet());
    }

    /**
     * @param worker the name of a file, as in {@link Run#worker()}
     * @return the runs recorded there
     */
    public List<Run> of(String worker) {
        return all.stream().filter(r -> r.worker().equals(worker)).toList();
    }

    /** @return the runs that never ended */
    public List<Run> cut() {
        return all.stream().filter(r -> !r.ended()).toList();
    }
}
