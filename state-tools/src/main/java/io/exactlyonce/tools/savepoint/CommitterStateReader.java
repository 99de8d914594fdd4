package io.exactlyonce.tools.savepoint;

import io.exactlyonce.delta.sink.core.DeltaCommitterContext;
import io.exactlyonce.delta.sink.core.DeltaTransaction;
import io.exactlyonce.delta.sink.flink.DeltaCommitterContextSerializer;
import io.exactlyonce.delta.sink.flink.DeltaTransactionSerializer;

import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.sink.TwoPhaseCommitSinkFunction;
import org.apache.flink.util.Collector;

import java.io.IOException;
import java.lang.reflect.Field;

/**
 * Reads a Delta committer's checkpointed state — the operator list state {@code "state"} of
 * Flink's {@link TwoPhaseCommitSinkFunction}, written with its {@code StateSerializer} over the
 * sink's {@link DeltaTransactionSerializer} and {@link DeltaCommitterContextSerializer} — and turns
 * it into {@link PendingTransaction} rows: the open transaction and every transaction a checkpoint
 * sealed but the committer had not yet reported committed.
 *
 * <p>Flink gives {@code TransactionHolder} no accessor for its handle; it is read by reflection,
 * once per transaction (a handful per savepoint). A serializer that does not match the savepoint's
 * (another sink's state under the uid) fails the read with Flink's compatibility error.
 */
public final class CommitterStateReader {

    /** The state name {@link TwoPhaseCommitSinkFunction} registers its list state under. */
    public static final String STATE_NAME = "state";

    private CommitterStateReader() {}

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static DataStream<PendingTransaction> read(SavepointReader savepoint, String uid) throws IOException {
        TypeInformation<TwoPhaseCommitSinkFunction.State<DeltaTransaction, DeltaCommitterContext>> type =
                (TypeInformation) TypeInformation.of(TwoPhaseCommitSinkFunction.State.class);
        return savepoint
                .readListState(
                        OperatorIdentifier.forUid(uid),
                        STATE_NAME,
                        type,
                        new TwoPhaseCommitSinkFunction.StateSerializer<>(
                                DeltaTransactionSerializer.INSTANCE, DeltaCommitterContextSerializer.INSTANCE))
                .flatMap(new ToRows(uid))
                .returns(PendingTransaction.class)
                .name("committer state " + uid);
    }

    /** One row per transaction of the state, or one placeholder row when there is none. */
    private static final class ToRows
            implements FlatMapFunction<
                    TwoPhaseCommitSinkFunction.State<DeltaTransaction, DeltaCommitterContext>, PendingTransaction> {
        private static final long serialVersionUID = 1L;
        private final String uid;

        ToRows(String uid) {
            this.uid = uid;
        }

        @Override
        public void flatMap(
                TwoPhaseCommitSinkFunction.State<DeltaTransaction, DeltaCommitterContext> state,
                Collector<PendingTransaction> out) throws Exception {
            String appId = state.getContext().map(DeltaCommitterContext::appId).orElse(null);
            int emitted = 0;
            if (state.getPendingTransaction() != null) {
                out.collect(row(appId, handle(state.getPendingTransaction()), true));
                emitted++;
            }
            for (TwoPhaseCommitSinkFunction.TransactionHolder<DeltaTransaction> holder
                    : state.getPendingCommitTransactions()) {
                out.collect(row(appId, handle(holder), false));
                emitted++;
            }
            if (emitted == 0) {
                PendingTransaction none = new PendingTransaction();
                none.uid = uid;
                none.appId = appId;
                none.checkpointId = PendingTransaction.NONE;
                out.collect(none);
            }
        }

        private PendingTransaction row(String appId, DeltaTransaction txn, boolean open) {
            PendingTransaction row = new PendingTransaction();
            row.uid = uid;
            row.appId = appId != null ? appId : txn.appId();
            row.checkpointId = txn.checkpointId();
            row.open = open || !txn.isSealed();
            row.files = txn.files().size();
            row.rows = txn.numRecords();
            row.bytes = txn.sizeBytes();
            return row;
        }
    }

    private static DeltaTransaction handle(TwoPhaseCommitSinkFunction.TransactionHolder<DeltaTransaction> holder)
            throws ReflectiveOperationException {
        Field field = TwoPhaseCommitSinkFunction.TransactionHolder.class.getDeclaredField("handle");
        field.setAccessible(true);
        return (DeltaTransaction) field.get(holder);
    }
}
