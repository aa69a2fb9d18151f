package dev.gatehouse.rebuild;

import java.time.Duration;

/**
 * Limits on rebuilds: attempts per build (the first plus retries), builds started per repository
 * in a window, the largest plan walked, and how long a started build may take.
 */
public record RebuildSettings(int maxAttempts, int buildsPerRepository, Duration rateWindow, int maxPlanSize, Duration buildTimeout) {

    public static final RebuildSettings DEFAULTS = new RebuildSettings(3, 10, Duration.ofHours(1), 500, Duration.ofMinutes(60));

    public RebuildSettings {
        if (maxAttempts < 1 || maxAttempts > 10) {
            throw new IllegalArgumentException("maxAttempts must be between 1 and 10, got " + maxAttempts);
        }
        if (buildsPerRepository < 1 || buildsPerRepository > 1000) {
            throw new IllegalArgumentException("rateLimit builds must be between 1 and 1000, got " + buildsPerRepository);
        }
        if (rateWindow == null || rateWindow.toSeconds() < 1 || rateWindow.toDays() > 30) {
            throw new IllegalArgumentException("rateLimit window must be between 1 second and 30 days, got " + rateWindow);
        }
        if (maxPlanSize < 1 || maxPlanSize > 10_000) {
            throw new IllegalArgumentException("maxPlanSize must be between 1 and 10000, got " + maxPlanSize);
        }
        if (buildTimeout == null || buildTimeout.toSeconds() < 1 || buildTimeout.toHours() > 8) {
            throw new IllegalArgumentException("buildTimeout must be between 1 second and 8 hours (CodeBuild's limit), got " + buildTimeout);
        }
    }
}
