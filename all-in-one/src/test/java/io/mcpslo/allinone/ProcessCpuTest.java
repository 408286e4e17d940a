package io.mcpslo.allinone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessCpuTest {

    @Test
    void utimeAndStimeAreReadAfterACommandThatHoldsSpacesAndParentheses() {
        assertEquals(1000, ProcessCpu.ticksOfStatLine("42 (we (ird) name) S 1 2 3 4 5 6 7 8 9 10 700 300 1 1 20 0"));
    }

    @Test
    void theJvmsOwnCpuIsSeenAndAClickHouseWithoutPidIsUnknown(@TempDir Path dir) throws Exception {
        Path noPid = dir.resolve("clickhouse.pid");
        Path selfAsClickHouse = dir.resolve("self.pid");
        Files.writeString(selfAsClickHouse, ProcessHandle.current().pid() + "\n");
        ProcessCpu before = ProcessCpu.now(noPid);
        ProcessCpu beforeAsClickHouse = ProcessCpu.now(selfAsClickHouse);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long spinUntil = threads.getCurrentThreadCpuTime() + 400_000_000L;
        long sink = 0;
        while (threads.getCurrentThreadCpuTime() < spinUntil) {
            sink += Long.numberOfTrailingZeros(sink + System.nanoTime());
        }
        ProcessCpu.Spent spent = ProcessCpu.now(noPid).since(before);
        ProcessCpu.Spent spentAsClickHouse = ProcessCpu.now(selfAsClickHouse).since(beforeAsClickHouse);

        assertTrue(spent.jvmSeconds() >= 0.3, "0.4 s of this thread's CPU, the process saw " + spent.jvmSeconds()
                + " s (" + sink + ")");
        assertEquals(-1, spent.clickHouseSeconds(), "no pid file: unknown, not zero");
        assertTrue(spentAsClickHouse.clickHouseSeconds() >= 0.3, "the process a pid file names is read: "
                + spentAsClickHouse.clickHouseSeconds());
        assertTrue(spent.machineBusyPercent() > 0, "the machine was busy with this very spin");
    }

    @Test
    void theJitCompilersAndTheGarbageCollectorAreTheNativeThreadsCounted() {
        assertEquals(ProcessCpu.JIT_ROLE, ProcessCpu.nativeRole("C2 CompilerThre"));
        assertEquals(ProcessCpu.JIT_ROLE, ProcessCpu.nativeRole("C1 CompilerThre"));
        assertEquals(ProcessCpu.GC_ROLE, ProcessCpu.nativeRole("VM Thread"));
        assertEquals(ProcessCpu.GC_ROLE, ProcessCpu.nativeRole("GC Thread#0"));
        assertEquals(null, ProcessCpu.nativeRole("StreamThread-1"), "a Java thread is counted by its own timer");
    }

    @Test
    void thisJvmsCompilerThreadsHaveSpentCpuByTheTimeTheTestRuns() {
        Long jit = ProcessCpu.nativeThreadNanos().get(ProcessCpu.JIT_ROLE);
        assertTrue(jit != null && jit > 0, "JUnit's own start-up compiled code: " + ProcessCpu.nativeThreadNanos());
    }
}
