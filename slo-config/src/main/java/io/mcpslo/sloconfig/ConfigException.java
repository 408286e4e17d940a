package io.mcpslo.sloconfig;

/** Thrown while reading one document; carries the problem with its place. */
final class ConfigException extends RuntimeException {

    private final transient ConfigProblem problem;

    ConfigException(ConfigProblem problem) {
        super(problem.toString());
        this.problem = problem;
    }

    ConfigProblem problem() {
        return problem;
    }
}
