package io.exactlyonce.delta.sink.core;

import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.statistics.DataFileStatistics;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of the statistics path without I/O, over many generated values: the state codec
 * returns every bound bit for bit, and every bound {@link ExactStatistics} keeps is written by
 * Kernel into the Delta stats JSON with its exact value (parsed back here with decimals as
 * decimals, as Spark and delta-rs read them).
 */
class StatisticsPropertyTest {

    private static final ObjectMapper EXACT_JSON =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @Property(tries = 3000, seed = "20261127")
    void everyDecimalBoundRoundTripsThroughStateAndIntoTheLogExactly(
            @ForAll("decimalTypes") DecimalType type, @ForAll("unscaled") BigInteger unscaled)
            throws IOException {
        BigInteger limit = BigInteger.TEN.pow(type.getPrecision()).subtract(BigInteger.ONE);
        BigInteger bounded = unscaled.mod(limit.shiftLeft(1).add(BigInteger.ONE)).subtract(limit);
        BigDecimal value = new BigDecimal(bounded, type.getScale());
        Literal bound = Literal.ofDecimal(value, type.getPrecision(), type.getScale());
        StructType schema = new StructType(List.of(new StructField("c", type, true)));

        DataFileStatistics stats = statsOf(bound, bound);
        DataFileStatistics restored = roundTrip(stats);
        assertThat(restored.getMinValues()).isEqualTo(stats.getMinValues());

        DataFileStatistics kept = ExactStatistics.keepExact(restored, schema);
        JsonNode json = EXACT_JSON.readTree(kept.serializeAsJson(schema));
        assertThat(json.get("minValues").get("c").decimalValue()).isEqualByComparingTo(value);
        assertThat(json.get("maxValues").get("c").decimalValue()).isEqualByComparingTo(value);
    }

    @Property(tries = 3000, seed = "20261127")
    void everyFloatingBoundRoundTripsThroughStateBitForBit(@ForAll double d, @ForAll float f)
            throws IOException {
        DataFileStatistics stats = statsOf(Literal.ofDouble(d), Literal.ofFloat(f));
        DataFileStatistics restored = roundTrip(stats);
        assertThat(Double.doubleToRawLongBits((Double) restored.getMinValues().get(new Column("c")).getValue()))
                .isEqualTo(Double.doubleToRawLongBits(d));
        assertThat(Float.floatToRawIntBits((Float) restored.getMaxValues().get(new Column("c")).getValue()))
                .isEqualTo(Float.floatToRawIntBits(f));
    }

    @Property(tries = 2000, seed = "20261127")
    void everyKeptStringBoundIsWrittenVerbatim(@ForAll("text") String s) throws IOException {
        StructType schema = new StructType(List.of(new StructField("c", io.delta.kernel.types.StringType.STRING, true)));
        DataFileStatistics kept = ExactStatistics.keepExact(roundTrip(statsOf(Literal.ofString(s), Literal.ofString(s))), schema);
        if (s.length() > ExactStatistics.MAX_STRING_STAT_CHARS) {
            assertThat(kept.getMinValues()).isEmpty();
            return;
        }
        JsonNode json = EXACT_JSON.readTree(kept.serializeAsJson(schema));
        assertThat(json.get("minValues").get("c").asText()).isEqualTo(s);
    }

    @Provide
    Arbitrary<DecimalType> decimalTypes() {
        return Arbitraries.integers()
                .between(1, 38)
                .flatMap(p -> Arbitraries.integers().between(0, p).map(s -> new DecimalType(p, s)));
    }

    @Provide
    Arbitrary<BigInteger> unscaled() {
        BigInteger big = BigInteger.TEN.pow(39);
        return Arbitraries.bigIntegers().between(big.negate(), big);
    }

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.integers()
                .between(0, 0x10FFFF)
                .filter(cp -> cp < 0xD800 || cp > 0xDFFF)
                .list()
                .ofMaxSize(400)
                .map(cps -> {
                    StringBuilder b = new StringBuilder();
                    cps.forEach(b::appendCodePoint);
                    return b.toString();
                });
    }

    private static DataFileStatistics statsOf(Literal min, Literal max) {
        Map<Column, Literal> mins = new HashMap<>();
        Map<Column, Literal> maxs = new HashMap<>();
        mins.put(new Column("c"), min);
        maxs.put(new Column("c"), max);
        return new DataFileStatistics(1, mins, maxs, Map.of(new Column("c"), 0L), Optional.empty());
    }

    private static DataFileStatistics roundTrip(DataFileStatistics stats) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StatisticsCodec.write(stats, new DataOutputStream(bytes));
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        DataFileStatistics restored = StatisticsCodec.read(in);
        assertThat(in.available()).isZero();
        return restored;
    }
}
