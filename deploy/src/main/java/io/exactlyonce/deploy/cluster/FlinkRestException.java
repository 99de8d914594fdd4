package io.exactlyonce.deploy.cluster;

import java.io.IOException;

/** The Flink cluster answered a REST call with an error, or reports a failed operation. */
public final class FlinkRestException extends IOException {

    private static final long serialVersionUID = 1L;

    public FlinkRestException(String message) {
        super(message);
    }
}
