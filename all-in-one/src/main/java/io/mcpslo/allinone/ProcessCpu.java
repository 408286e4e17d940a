package io.mcpslo.allinone;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU the bench's run cost, read from Linux's {@code /proc}: this JVM as a whole (its Java threads, and also the
 * garbage collector, the JIT compiler and the other native threads that thread timings miss), the local ClickHouse
 * server, and the machine. On a saturated machine the rate follows the CPU an event costs, and that cost varies far
 * less from run to run than the rate, so it is the figure to compare two runs by.
 */
record ProcessCpu(long jvmTicks, long clickHouseTicks, long machineBusyTicks, long machineTicks, long gcMillis) {

    static final String JIT_ROLE = "jit compilers (native)";
    static final String GC_ROLE = "gc and vm thread (native)";
    /** USER_HZ: the unit of /proc's CPU times on every Linux this runs on. */
    static final double TICKS_PER_SECOND = 100;

    /** The counters now; a figure /proc cannot give (not Linux, no local ClickHouse) is -1. */
    static ProcessCpu now(Path clickHousePidFile) {
        long gcMillis = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).filter(ms -> ms > 0).sum();
        long[] machine = readMachineTicks();
        return new ProcessCpu(processTicks("self"), clickHouseTicks(clickHousePidFile), machine[0], machine[1],
                gcMillis);
    }

    /** Where the project's script keeps the pid of the ClickHouse it started. */
    static Path defaultClickHousePidFile() {
        String dataDir = System.getenv("MCP_SLO_DATA_DIR");
        return Path.of(dataDir == null || dataDir.isBlank() ? ".data" : dataDir, "clickhouse", "clickhouse.pid");
    }

    /** What was spent between {@code before} and this snapshot, as seconds; -1 where either side was unknown. */
    Spent since(ProcessCpu before) {
        return new Spent(seconds(jvmTicks, before.jvmTicks), seconds(clickHouseTicks, before.clickHouseTicks),
                machineTicks < 0 || before.machineTicks < 0 || machineTicks == before.machineTicks ? -1
                        : 100.0 * (machineBusyTicks - before.machineBusyTicks) / (machineTicks - before.machineTicks)
                                * Runtime.getRuntime().availableProcessors(),
                (gcMillis - before.gcMillis) / 1e3);
    }

    /** @param machineBusyPercent of 100 × cores */
    record Spent(double jvmSeconds, double clickHouseSeconds, double machineBusyPercent, double gcPauseSeconds) {
    }

    private static double seconds(long after, long before) {
        return after < 0 || before < 0 ? -1 : (after - before) / TICKS_PER_SECOND;
    }

    private static long clickHouseTicks(Path pidFile) {
        try {
            String pid = Files.readString(pidFile).trim();
            return pid.matches("[0-9]+") ? processTicks(pid) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** utime + stime of /proc/PID/stat: fields 14 and 15, counted after the command's closing parenthesis. */
    static long processTicks(String pid) {
        try {
            return ticksOfStatLine(Files.readString(Path.of("/proc", pid, "stat")));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static long ticksOfStatLine(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // fields[0] is the state, the third field of the line; utime is the 14th
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /**
     * CPU of this JVM's own native threads that thread timings do not see, by role: the JIT compilers and the
     * garbage collector with the VM thread (where Serial GC collects), as nanoseconds; empty without /proc.
     */
    static Map<String, Long> nativeThreadNanos() {
        Map<String, Long> byRole = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            tasks.forEach(task -> {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String role = nativeRole(name);
                    if (role != null) {
                        byRole.merge(role, Math.round(ticksOfStatLine(stat) * 1e9 / TICKS_PER_SECOND), Long::sum);
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended while listed
                }
            });
        } catch (IOException e) {
            return Map.of();
        }
        return byRole;
    }

    /** The role of a native JVM thread by its Linux name (15 characters at most); null for the others. */
    static String nativeRole(String name) {
        if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
            return JIT_ROLE;
        }
        if (name.equals("VM Thread") || name.startsWith("GC Thread") || name.startsWith("G1 ")) {
            return GC_ROLE;
        }
        return null;
    }

    /** {busy, total} ticks of all cores from /proc/stat's first line; {-1, -1} when unreadable. */
    private static long[] readMachineTicks() {
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < cpu.length && i <= 8; i++) {
                total += Long.parseLong(cpu[i]);
            }
            long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1};
        }
    }
}
