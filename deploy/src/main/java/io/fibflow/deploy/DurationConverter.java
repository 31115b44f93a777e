package io.fibflow.deploy;

import io.fibflow.api.topics.DelayTier;
import java.time.Duration;
import picocli.CommandLine;

/**
 * Reads a duration option such as {@code 500ms}, {@code 10s}, {@code 2m} or {@code 1h}, the
 * notation of delay tiers; picocli names the option when a value does not parse.
 */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        try {
            return DelayTier.parse(value).duration();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(
                    "'" + value + "' is not a duration: a number and a unit of ms, s, m, h or d, e.g. 30s or 2m");
        }
    }
}
