/** IoT Core's bounds of `disconnectAfterInSeconds` and `refreshAfterInSeconds`. */
export const IOT_MIN_SESSION_SECONDS = 300
export const IOT_MAX_SESSION_SECONDS = 86_400

/** Whole seconds in [min, max]. */
export const clampSeconds = (seconds: number, min: number, max: number): number => Math.min(max, Math.max(min, Math.floor(seconds)))

/**
 * How long a connection may last: the token's remaining life, in IoT's bounds. A token with less
 * than `min` left still gets `min`: IoT allows no shorter session.
 */
export const sessionSeconds = (exp: number, nowMs: number, min: number, max: number): number => clampSeconds(exp - nowMs / 1000, min, max)
