package io.exactlyonce.job.local;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;

/**
 * The one place that makes an embedded Flink (MiniCluster) of this project listen on the loopback
 * address only: used by the local runner ({@code deploy/run-local.sh}) and the demo. A MiniCluster
 * binds its REST endpoint and its BLOB server (and, with more than one TaskManager, RPC, metrics
 * query and shuffle servers) to every interface by default, which exposes job submission and
 * artifacts to the network of a laptop; here every one of them binds to {@value #LOOPBACK}.
 * {@code EmbeddedFlinkLoopbackITCase} lists the sockets of a running job to keep it that way.
 */
public final class EmbeddedFlink {

    public static final String LOOPBACK = "127.0.0.1";

    private EmbeddedFlink() {}

    /** Sets every bind and advertised address of an embedded Flink to the loopback address. */
    public static Configuration loopbackOnly(Configuration conf) {
        conf.set(RestOptions.BIND_ADDRESS, LOOPBACK);
        conf.set(RestOptions.ADDRESS, LOOPBACK);
        // the BLOB server and the JobManager's RPC endpoint bind to jobmanager.bind-host
        conf.set(JobManagerOptions.BIND_HOST, LOOPBACK);
        conf.set(JobManagerOptions.ADDRESS, LOOPBACK);
        // TaskManager RPC and the shuffle (Netty) server of a multi-TaskManager MiniCluster
        conf.set(TaskManagerOptions.BIND_HOST, LOOPBACK);
        conf.set(TaskManagerOptions.HOST, LOOPBACK);
        return conf;
    }
}
