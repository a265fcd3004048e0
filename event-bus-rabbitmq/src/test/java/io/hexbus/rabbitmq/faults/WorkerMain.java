package io.hexbus.rabbitmq.faults;

import io.hexbus.api.testing.faults.RunLog;
import io.hexbus.api.testing.faults.ParcelSent;

import io.hexbus.api.handling.DomainEventsProcessor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * A worker JVM for the fault tests: one worker of a {@link FaultQueue}'s bus whose handlers ({@link RunLog#register})
 * record their runs in a file. Prints {@code READY} once the worker runs, then stays until killed.
 *
 * <p>Arguments: the run log, each handler's work in ms, handler slots, the number of the {@link ParcelSent} on which
 * the JVM halts at once, as a crash would (0: none), then {@link FaultQueue#args()}.
 */
public final class WorkerMain {

    private WorkerMain() {
    }

    /**
     * @param args run log, work (ms), concurrency, the number to halt on, then the queue's arguments
     * @throws InterruptedException never: it waits until killed
     */
    public static void main(String[] args) throws InterruptedException {
        RunLog runs = RunLog.open(Path.of(args[0]));
        Duration work = Duration.ofMillis(Long.parseLong(args[1]));
        int concurrency = Integer.parseInt(args[2]);
        int haltOn = Integer.parseInt(args[3]);
        FaultQueue queue = FaultQueue.fromArgs(Arrays.copyOfRange(args, 4, args.length));
        DomainEventsProcessor processor = FaultQueue.processor();
        runs.register(processor, work);
        if (haltOn > 0) {
            processor.register(ParcelSent.class, "killer", (ParcelSent e) -> {
                if (e.number() == haltOn) {
                    Runtime.getRuntime().halt(137); // the message kills its consumer, as SIGKILL would
                }
            });
        }
        queue.connect(processor, concurrency).startWorker();
        System.out.println("READY"); // a CLI main: its output is the test's log of this JVM
        System.out.flush();
        new CountDownLatch(1).await(); // the worker's threads are daemons: stay until killed
    }
}
