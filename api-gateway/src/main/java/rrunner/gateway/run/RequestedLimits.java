package rrunner.gateway.run;

import java.math.BigDecimal;
import java.util.List;
import rrunner.common.environment.Environment;
import rrunner.common.job.Limits;
import rrunner.gateway.tenants.Tenant;
import rrunner.gateway.tenants.TenantLimits;
import tools.jackson.databind.JsonNode;

/**
 * The limits a request asked for, each null where it asked for none (left out, or JSON null), exactly as sent:
 * checked for type and sign here, against an environment's maxima in {@link #resolve}. A value is never clamped
 * and never read as "the default": 0 is an error.
 */
record RequestedLimits(BigDecimal timeoutSeconds, BigDecimal memoryMb, BigDecimal cpus) {

    static final RequestedLimits NONE = new RequestedLimits(null, null, null);

    private static final String TIMEOUT = "timeout_seconds";
    private static final String MEMORY = "memory_mb";
    private static final String CPUS = "cpus";
    private static final List<String> NAMES = List.of(TIMEOUT, MEMORY, CPUS);
    /** Docker refuses memory limits under 6 MB. */
    private static final BigDecimal MIN_MEMORY_MB = BigDecimal.valueOf(6);
    /** Docker counts CPUs in billionths, and under 1 % of a core a script can hardly run. */
    private static final BigDecimal MIN_CPUS = new BigDecimal("0.01");

    /** Reads {@code "limits": {"timeout_seconds": 120, "memory_mb": 2048, "cpus": 1.5}}; fails with 422. */
    static RequestedLimits parse(JsonNode limits) {
        if (limits == null || limits.isNull()) {
            return NONE;
        }
        if (!limits.isObject()) {
            throw new InvalidLimitException("limits", "field \"limits\" must be an object such as "
                    + "{\"timeout_seconds\": 120, \"memory_mb\": 2048, \"cpus\": 1.5}, got "
                    + RunRequestParser.describe(limits));
        }
        for (String name : limits.propertyNames()) {
            if (!NAMES.contains(name)) {
                throw new InvalidLimitException("limits." + name, "unknown limit \"" + name + "\"; the limits are "
                        + String.join(", ", NAMES));
            }
        }
        return new RequestedLimits(
                number(limits.get(TIMEOUT), TIMEOUT, true, BigDecimal.ONE, "second"),
                number(limits.get(MEMORY), MEMORY, true, MIN_MEMORY_MB, "MiB (Docker's smallest memory limit)"),
                number(limits.get(CPUS), CPUS, false, MIN_CPUS, "of a core"));
    }

    /** Whether no limit was asked for. */
    boolean isEmpty() {
        return equals(NONE);
    }

    /**
     * These limits in {@code environment} for {@code tenant}: each missing one the environment's default, lowered to
     * the tenant's maximum (a caller that asked for nothing is never refused); fails with 422 over the environment's
     * or the tenant's maximum.
     */
    Limits resolve(Environment environment, Tenant tenant) {
        Limits max = environment.max();
        Limits defaults = environment.defaults();
        TenantLimits own = tenant.limits();
        return new Limits(
                resolve(timeoutSeconds, TIMEOUT, defaults.timeoutSeconds(), max.timeoutSeconds(),
                        own.maxTimeoutSeconds(), environment, tenant).intValueExact(),
                resolve(memoryMb, MEMORY, defaults.memoryMb(), max.memoryMb(), own.maxMemoryMb(), environment,
                        tenant).longValueExact(),
                resolve(cpus, CPUS, defaults.cpus(), max.cpus(), own.maxCpus(), environment, tenant).doubleValue());
    }

    private static BigDecimal resolve(BigDecimal requested, String name, Number fallback, Number max,
            Number tenantMax, Environment environment, Tenant tenant) {
        BigDecimal ownMax = tenantMax == null ? null : new BigDecimal(tenantMax.toString());
        if (requested == null) {
            BigDecimal byDefault = new BigDecimal(fallback.toString());
            return ownMax == null ? byDefault : byDefault.min(ownMax);
        }
        if (requested.compareTo(new BigDecimal(max.toString())) > 0) {
            throw new LimitExceededException("limits." + name, requested, max, "limits." + name + " is "
                    + requested + ", over the most environment " + environment.name()
                    + " allows (" + max + ")");
        }
        if (ownMax != null && requested.compareTo(ownMax) > 0) {
            throw new LimitExceededException("limits." + name, requested, tenantMax, "limits." + name + " is "
                    + requested + ", over the most tenant " + tenant.id() + " may ask for (" + tenantMax + ")");
        }
        return requested;
    }

    private static BigDecimal number(JsonNode value, String name, boolean whole, BigDecimal least, String unit) {
        String field = "limits." + name;
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw new InvalidLimitException(field, field + " must be a number, got " + RunRequestParser.describe(value));
        }
        BigDecimal number = value.decimalValue();
        if (whole && number.signum() != 0 && number.stripTrailingZeros().scale() > 0) {
            throw new InvalidLimitException(field, field + " must be a whole number, got " + number);
        }
        if (number.signum() <= 0) {
            throw new InvalidLimitException(field, field + " must be positive, got " + number
                    + "; leave it out for the environment's default");
        }
        if (number.compareTo(least) < 0) {
            throw new InvalidLimitException(field, field + " must be at least " + least + " "
                    + unit + ", got " + number);
        }
        return number;
    }
}
