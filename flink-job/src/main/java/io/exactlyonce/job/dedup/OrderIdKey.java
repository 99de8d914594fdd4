package io.exactlyonce.job.dedup;

import io.exactlyonce.job.OrderSchema;

import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.table.data.RowData;

/** Keys an order row by its {@code order_id}. */
public final class OrderIdKey implements KeySelector<RowData, String> {

    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(RowData row) {
        return row.getString(OrderSchema.ORDER_ID).toString();
    }
}
