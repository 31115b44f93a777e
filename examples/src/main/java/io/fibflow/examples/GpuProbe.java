package io.fibflow.examples;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Whether this machine has a GPU, as a real handler would check: the {@code FIBFLOW_GPU}
 * environment variable (or {@code fibflow.gpu} system property) when set, else whether
 * {@code nvidia-smi -L} runs and lists a device.
 */
public interface GpuProbe {

    /** A description of the GPU, or null when there is none. */
    String detect();

    static GpuProbe fromEnvironment() {
        return () -> {
            String forced = System.getProperty("fibflow.gpu", System.getenv("FIBFLOW_GPU"));
            if (forced != null) {
                return Boolean.parseBoolean(forced) ? "configured GPU (FIBFLOW_GPU=true)" : null;
            }
            try {
                Process p = new ProcessBuilder("nvidia-smi", "-L").redirectErrorStream(true).start();
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return null;
                }
                String out = new String(p.getInputStream().readAllBytes()).trim();
                return p.exitValue() == 0 && out.startsWith("GPU") ? out.lines().findFirst().orElse(out) : null;
            } catch (IOException e) {
                return null; // no nvidia-smi on this machine
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        };
    }
}
