package dev.jnn.io;

import dev.jnn.nn.Parameter;
import dev.jnn.tensor.Tensor;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pickle reader that never executes code: a stack machine over the opcodes of pickle protocols 2
 * to 4 that build plain data (PyTorch's {@code torch.save} writes protocol 2), where the only
 * callables are a fixed whitelist of globals, each implemented here in Java. Anything else (an
 * unknown opcode, a global outside the whitelist, INST/OBJ/NEWOBJ_EX/EXT, a text persistent id) is
 * a {@link FileFormatException} naming it.
 *
 * <p>Python values become: dict and OrderedDict {@link PyDict} (a {@code LinkedHashMap}), list
 * {@code ArrayList}, tuple {@link PyTuple} (an immutable {@code List}), set {@code LinkedHashSet},
 * str {@code String}, int {@code Long} (or {@code BigInteger} beyond 64 bits), float {@code
 * Double}, bool {@code Boolean}, None {@code null}, bytes {@code byte[]}, tensors {@link Tensor} /
 * {@link Parameter}. Dict keys and set items must be hashable plain values (str, int, float, bool,
 * None, tuples of those).
 */
final class Pickle {
  /** What the machine asks of the file around the pickle. */
  interface Host {
    /** Resolves a persistent id ({@code BINPERSID}), e.g. a storage tuple. */
    Object persistentLoad(Object pid) throws IOException;

    /** Materialises a tensor from a storage returned by {@link #persistentLoad}. */
    Tensor rebuildTensor(Object storage, long offset, long[] size, long[] stride)
        throws IOException;
  }

  /** The whitelisted globals. */
  enum Global {
    ORDERED_DICT("collections", "OrderedDict"),
    REBUILD_TENSOR_V2("torch._utils", "_rebuild_tensor_v2"),
    REBUILD_TENSOR("torch._utils", "_rebuild_tensor"),
    REBUILD_PARAMETER("torch._utils", "_rebuild_parameter"),
    REBUILD_PARAMETER_WITH_STATE("torch._utils", "_rebuild_parameter_with_state"),
    REBUILD_FROM_TYPE_V2("torch._tensor", "_rebuild_from_type_v2"),
    TORCH_TENSOR("torch", "Tensor"),
    TORCH_PARAMETER("torch.nn.parameter", "Parameter"),
    CODECS_ENCODE("_codecs", "encode"),
    SET("builtins", "set"),
    FROZENSET("builtins", "frozenset"),
    SET_PY2("__builtin__", "set"),
    FROZENSET_PY2("__builtin__", "frozenset");

    final String module;
    final String name;

    Global(String module, String name) {
      this.module = module;
      this.name = name;
    }

    @Override
    public String toString() {
      return module + "." + name;
    }
  }

  /** The legacy typed storage classes PyTorch names in persistent ids, with their element types. */
  enum StorageType {
    FloatStorage(ElementType.F32),
    DoubleStorage(ElementType.F64),
    HalfStorage(ElementType.F16),
    BFloat16Storage(ElementType.BF16),
    LongStorage(ElementType.I64),
    IntStorage(ElementType.I32),
    ShortStorage(ElementType.I16),
    CharStorage(ElementType.I8),
    ByteStorage(ElementType.U8),
    BoolStorage(ElementType.BOOL);

    final ElementType element;

    StorageType(ElementType element) {
      this.element = element;
    }

    @Override
    public String toString() {
      return "torch." + name();
    }
  }

  private static final Object MARK =
      new Object() {
        @Override
        public String toString() {
          return "MARK";
        }
      };

  private static final int MAX_KEY_TUPLE_DEPTH = 32;

  private final byte[] data;
  private final Host host;
  private final Path file;
  private final String what;
  private int pos;
  private final ArrayList<Object> stack = new ArrayList<>();
  private final ArrayList<Integer> marks = new ArrayList<>();
  private final HashMap<Long, Object> memo = new HashMap<>();

  private Pickle(byte[] data, Host host, Path file, String what) {
    this.data = data;
    this.host = host;
    this.file = file;
    this.what = what;
  }

  /**
   * Runs the pickle in {@code data} and returns the object it builds.
   *
   * @param what the record's name, for messages ({@code "archive/data.pkl"})
   */
  static Object load(byte[] data, Host host, Path file, String what) throws IOException {
    return new Pickle(data, host, file, what).run();
  }

  private FileFormatException bad(String problem) {
    return new FileFormatException(file, what + ": " + problem);
  }

  private FileFormatException badAt(int at, String problem) {
    return new FileFormatException(file, what + ": " + problem + " (at byte " + at + ")");
  }

  private Object run() throws IOException {
    while (true) {
      int at = pos;
      int op = u8();
      switch (op) {
        case 0x80 -> { // PROTO
          int proto = u8();
          if (proto < 2 || proto > 5) {
            throw badAt(at, "pickle protocol " + proto + " is not supported (2 to 5 are)");
          }
        }
        case 0x95 -> skip(8); // FRAME: framing is advisory
        case '.' -> { // STOP
          if (stack.size() != 1 || !marks.isEmpty()) {
            throw badAt(at, "STOP with " + stack.size() + " objects on the stack");
          }
          return pop(at);
        }
        case '(' -> { // MARK
          marks.add(stack.size());
          stack.add(MARK);
        }
        case '0' -> pop(at); // POP
        case '1' -> popMark(at); // POP_MARK
        case '2' -> push(peek(at)); // DUP
        case 'N' -> push(null);
        case 0x88 -> push(Boolean.TRUE);
        case 0x89 -> push(Boolean.FALSE);
        case 'J' -> push((long) i32()); // BININT
        case 'K' -> push((long) u8()); // BININT1
        case 'M' -> push((long) u16()); // BININT2
        case 0x8a -> push(longN(u8())); // LONG1
        case 0x8b -> push(longN(len32(at))); // LONG4
        case 'G' -> push(Double.longBitsToDouble(i64BigEndian())); // BINFLOAT
        case 'X' -> push(utf8(len32(at), at)); // BINUNICODE
        case 0x8c -> push(utf8(u8(), at)); // SHORT_BINUNICODE
        case 0x8d -> push(utf8(len64(at), at)); // BINUNICODE8
        case 'T' -> push(latin1(len32(at))); // BINSTRING (Python 2 str)
        case 'U' -> push(latin1(u8())); // SHORT_BINSTRING
        case 'B' -> push(bytes(len32(at))); // BINBYTES
        case 'C' -> push(bytes(u8())); // SHORT_BINBYTES
        case 0x8e, 0x96 -> push(bytes(len64(at))); // BINBYTES8, BYTEARRAY8
        case ')' -> push(PyTuple.EMPTY);
        case 't' -> push(new PyTuple(popMark(at).toArray()));
        case 0x85 -> push(new PyTuple(new Object[] {pop(at)}));
        case 0x86 -> {
          Object b = pop(at);
          Object a = pop(at);
          push(new PyTuple(new Object[] {a, b}));
        }
        case 0x87 -> {
          Object c = pop(at);
          Object b = pop(at);
          Object a = pop(at);
          push(new PyTuple(new Object[] {a, b, c}));
        }
        case ']' -> push(new ArrayList<>());
        case 'l' -> push(new ArrayList<>(popMark(at)));
        case 'a' -> { // APPEND
          Object v = pop(at);
          list(peek(at), at).add(v);
        }
        case 'e' -> { // APPENDS
          List<Object> items = popMark(at);
          list(peek(at), at).addAll(items);
        }
        case '}' -> push(new PyDict());
        case 'd' -> { // DICT
          List<Object> items = popMark(at);
          PyDict d = new PyDict();
          setItems(d, items, at);
          push(d);
        }
        case 's' -> { // SETITEM
          Object v = pop(at);
          Object k = pop(at);
          setItems(dict(peek(at), at), pair(k, v), at);
        }
        case 'u' -> { // SETITEMS
          List<Object> items = popMark(at);
          setItems(dict(peek(at), at), items, at);
        }
        case 0x8f -> push(new LinkedHashSet<>()); // EMPTY_SET
        case 0x90 -> { // ADDITEMS
          List<Object> items = popMark(at);
          Object s = peek(at);
          if (!(s instanceof Set<?>)) {
            throw badAt(at, "ADDITEMS on a " + typeName(s));
          }
          addToSet(s, items, at);
        }
        case 0x91 -> { // FROZENSET
          List<Object> items = popMark(at);
          Set<Object> s = new LinkedHashSet<>();
          addToSet(s, items, at);
          push(java.util.Collections.unmodifiableSet(s));
        }
        case 'c' -> push(global(line(at), line(at), at)); // GLOBAL
        case 0x93 -> { // STACK_GLOBAL
          Object name = pop(at);
          Object module = pop(at);
          if (!(module instanceof String m) || !(name instanceof String n)) {
            throw badAt(at, "STACK_GLOBAL needs two strings");
          }
          push(global(m, n, at));
        }
        case 'R' -> { // REDUCE
          Object args = pop(at);
          Object fn = pop(at);
          push(reduce(fn, args, at));
        }
        case 0x81 -> { // NEWOBJ
          Object args = pop(at);
          Object cls = pop(at);
          push(newObj(cls, args, at));
        }
        case 'b' -> { // BUILD
          Object state = pop(at);
          build(peek(at), state, at);
        }
        case 'Q' -> push(host.persistentLoad(pop(at))); // BINPERSID
        case 'q' -> memo.put((long) u8(), peek(at)); // BINPUT
        case 'r' -> memo.put(u32(), peek(at)); // LONG_BINPUT
        case 0x94 -> memo.put((long) memo.size(), peek(at)); // MEMOIZE
        case 'h' -> push(memoGet(u8(), at)); // BINGET
        case 'j' -> push(memoGet(u32(), at)); // LONG_BINGET
        case 'i', 'o', 0x92, 0x82, 0x83, 0x84, 'P', 0x97, 0x98, 'I', 'L', 'F', 'S', 'V', 'p', 'g' ->
            throw badAt(
                at,
                "pickle opcode "
                    + opName(op)
                    + " is not supported (jnn reads the binary opcodes of protocols 2-4 and never"
                    + " instantiates arbitrary classes)");
        default -> throw badAt(at, String.format("unknown pickle opcode 0x%02x", op));
      }
    }
  }

  private static List<Object> pair(Object k, Object v) {
    List<Object> l = new ArrayList<>(2);
    l.add(k);
    l.add(v);
    return l;
  }

  private static String opName(int op) {
    return switch (op) {
          case 'i' -> "INST";
          case 'o' -> "OBJ";
          case 0x92 -> "NEWOBJ_EX";
          case 0x82 -> "EXT1";
          case 0x83 -> "EXT2";
          case 0x84 -> "EXT4";
          case 'P' -> "PERSID";
          case 0x97 -> "NEXT_BUFFER";
          case 0x98 -> "READONLY_BUFFER";
          case 'I' -> "INT";
          case 'L' -> "LONG";
          case 'F' -> "FLOAT";
          case 'S' -> "STRING";
          case 'V' -> "UNICODE";
          case 'p' -> "PUT";
          case 'g' -> "GET";
          default -> String.format("0x%02x", op);
        }
        + String.format(" (0x%02x)", op);
  }

  // ------------------------------------------------------------------ globals and calls

  private Object global(String module, String name, int at) throws FileFormatException {
    for (Global g : Global.values()) {
      if (g.module.equals(module) && g.name.equals(name)) {
        return g;
      }
    }
    if (module.equals("torch")) {
      for (StorageType t : StorageType.values()) {
        if (t.name().equals(name)) {
          return t;
        }
      }
    }
    String hint =
        module.startsWith("__torch__")
            ? " (a TorchScript archive? save model.state_dict() with torch.save instead)"
            : "";
    throw badAt(
        at,
        "unsupported pickle global '"
            + printable(module)
            + "."
            + printable(name)
            + "'"
            + hint
            + "; jnn never executes code from a checkpoint and allows only collections.OrderedDict,"
            + " torch._utils._rebuild_tensor_v2/_rebuild_parameter, the torch.*Storage types and a"
            + " few builtins");
  }

  private Object reduce(Object fn, Object args, int at) throws IOException {
    if (!(args instanceof PyTuple a)) {
      throw badAt(at, "REDUCE arguments are a " + typeName(args) + ", not a tuple");
    }
    if (!(fn instanceof Global g)) {
      throw badAt(at, "REDUCE calls a " + typeName(fn) + "; only whitelisted globals are callable");
    }
    switch (g) {
      case ORDERED_DICT -> {
        PyDict d = new PyDict();
        if (a.size() == 1 && a.get(0) instanceof List<?> pairs) {
          for (Object p : pairs) {
            if (!(p instanceof List<?> kv) || kv.size() != 2) {
              throw badAt(at, "OrderedDict(...) items must be pairs");
            }
            setItems(d, new ArrayList<>(kv), at);
          }
        } else if (!a.isEmpty()) {
          throw badAt(at, "OrderedDict called with " + a.size() + " arguments");
        }
        return d;
      }
      case REBUILD_TENSOR_V2, REBUILD_TENSOR -> {
        return rebuildTensor(g, a, at);
      }
      case REBUILD_PARAMETER, REBUILD_PARAMETER_WITH_STATE -> {
        if (a.size() < 2 || !(a.get(0) instanceof Tensor t) || !(a.get(1) instanceof Boolean rg)) {
          throw badAt(at, g + " expects (tensor, requires_grad, ...)");
        }
        return new Parameter(t, rg && t.isFloatingPoint());
      }
      case REBUILD_FROM_TYPE_V2 -> {
        if (a.size() != 4 || !(a.get(0) instanceof Global f) || !(a.get(2) instanceof PyTuple fa)) {
          throw badAt(at, g + " expects (func, type, args, state)");
        }
        if (f != Global.REBUILD_TENSOR_V2 && f != Global.REBUILD_TENSOR) {
          throw badAt(at, g + " with func " + f + " is not supported");
        }
        Tensor t = rebuildTensor(f, fa, at);
        if (a.get(1) == Global.TORCH_PARAMETER) {
          return new Parameter(t, t.isFloatingPoint());
        }
        if (a.get(1) != Global.TORCH_TENSOR) {
          throw badAt(at, g + " with type " + typeName(a.get(1)) + " is not supported");
        }
        return t;
      }
      case CODECS_ENCODE -> {
        if (a.size() != 2 || !(a.get(0) instanceof String s) || !(a.get(1) instanceof String enc)) {
          throw badAt(at, "_codecs.encode expects (str, encoding)");
        }
        if (enc.equals("latin1") || enc.equals("latin-1") || enc.equals("iso-8859-1")) {
          for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0xff) {
              throw badAt(at, "_codecs.encode: text is not latin-1");
            }
          }
          return s.getBytes(StandardCharsets.ISO_8859_1);
        }
        if (enc.equals("utf-8") || enc.equals("utf8")) {
          return s.getBytes(StandardCharsets.UTF_8);
        }
        throw badAt(at, "_codecs.encode with encoding '" + printable(enc) + "' is not supported");
      }
      case SET, SET_PY2, FROZENSET, FROZENSET_PY2 -> {
        Set<Object> s = new LinkedHashSet<>();
        if (a.size() == 1 && a.get(0) instanceof Collection<?> items) {
          addToSet(s, new ArrayList<>(items), at);
        } else if (!a.isEmpty()) {
          throw badAt(at, g + " called with " + a.size() + " arguments");
        }
        return g == Global.SET || g == Global.SET_PY2
            ? s
            : java.util.Collections.unmodifiableSet(s);
      }
      default -> throw badAt(at, g + " is not callable");
    }
  }

  private Tensor rebuildTensor(Global g, PyTuple a, int at) throws IOException {
    int min = g == Global.REBUILD_TENSOR ? 4 : 6;
    if (a.size() < min || a.size() > 7) {
      throw badAt(at, g + " called with " + a.size() + " arguments");
    }
    Object storage = a.get(0);
    if (!(a.get(1) instanceof Long offset)) {
      throw badAt(at, g + ": storage offset is a " + typeName(a.get(1)));
    }
    long[] size = longs(a.get(2), g + ": size", at);
    long[] stride = longs(a.get(3), g + ": stride", at);
    if (size.length != stride.length) {
      throw badAt(at, g + ": size has " + size.length + " dims but stride has " + stride.length);
    }
    boolean requiresGrad = false;
    if (g == Global.REBUILD_TENSOR_V2) {
      if (!(a.get(4) instanceof Boolean rg)) {
        throw badAt(at, g + ": requires_grad is a " + typeName(a.get(4)));
      }
      requiresGrad = rg;
    }
    Tensor t = host.rebuildTensor(storage, offset, size, stride);
    if (requiresGrad && t.isFloatingPoint()) {
      t.requiresGrad(true);
    }
    return t;
  }

  private long[] longs(Object v, String what, int at) throws FileFormatException {
    if (!(v instanceof List<?> l)) {
      throw badAt(at, what + " is a " + typeName(v) + ", not a tuple");
    }
    if (l.size() > 64) {
      throw badAt(at, what + " has " + l.size() + " dims (at most 64)");
    }
    long[] r = new long[l.size()];
    for (int i = 0; i < r.length; i++) {
      if (!(l.get(i) instanceof Long x)) {
        throw badAt(at, what + " holds a " + typeName(l.get(i)));
      }
      r[i] = x;
    }
    return r;
  }

  private Object newObj(Object cls, Object args, int at) throws IOException {
    if (!(args instanceof PyTuple a)) {
      throw badAt(at, "NEWOBJ arguments are a " + typeName(args));
    }
    if (cls == Global.ORDERED_DICT && a.isEmpty()) {
      return new PyDict();
    }
    if ((cls == Global.SET || cls == Global.SET_PY2) && a.isEmpty()) {
      return new LinkedHashSet<>();
    }
    throw badAt(at, "NEWOBJ of " + typeName(cls) + " is not supported");
  }

  private void build(Object target, Object state, int at) throws FileFormatException {
    if (target instanceof PyDict d) {
      Object attrs = state;
      if (state instanceof PyTuple t && t.size() == 2) { // (state, slotstate)
        if (t.get(0) != null) {
          throw badAt(at, "BUILD of an OrderedDict with a non-dict state");
        }
        attrs = t.get(1);
      }
      if (!(attrs instanceof Map<?, ?> m)) {
        throw badAt(at, "BUILD of an OrderedDict with a " + typeName(attrs) + " state");
      }
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!(e.getKey() instanceof String k)) {
          throw badAt(at, "BUILD attribute name is a " + typeName(e.getKey()));
        }
        d.attributes.put(k, e.getValue());
      }
      return;
    }
    throw badAt(at, "BUILD (setting attributes) on a " + typeName(target) + " is not supported");
  }

  // ------------------------------------------------------------------ containers

  private List<Object> list(Object o, int at) throws FileFormatException {
    if (o instanceof ArrayList<?>) {
      @SuppressWarnings("unchecked")
      List<Object> l = (List<Object>) o;
      return l;
    }
    throw badAt(at, "APPEND to a " + typeName(o));
  }

  private PyDict dict(Object o, int at) throws FileFormatException {
    if (o instanceof PyDict d) {
      return d;
    }
    throw badAt(at, "SETITEM on a " + typeName(o));
  }

  private void setItems(PyDict d, List<Object> items, int at) throws FileFormatException {
    if (items.size() % 2 != 0) {
      throw badAt(at, "odd number of items for a dict");
    }
    for (int i = 0; i < items.size(); i += 2) {
      d.put(checkHashable(items.get(i), at), items.get(i + 1));
    }
  }

  @SuppressWarnings("unchecked")
  private void addToSet(Object s, List<Object> items, int at) throws FileFormatException {
    for (Object o : items) {
      ((Set<Object>) s).add(checkHashable(o, at));
    }
  }

  private Object checkHashable(Object k, int at) throws FileFormatException {
    if (k == null
        || k instanceof String
        || k instanceof Long
        || k instanceof BigInteger
        || k instanceof Double
        || k instanceof Boolean) {
      return k;
    }
    if (k instanceof PyTuple t) {
      if (t.depth > MAX_KEY_TUPLE_DEPTH) {
        throw badAt(at, "dict key tuple nested " + t.depth + " deep");
      }
      for (Object o : t) {
        checkHashable(o, at);
      }
      return k;
    }
    throw badAt(at, "a " + typeName(k) + " cannot be a dict key or set item");
  }

  // ------------------------------------------------------------------ stack

  private void push(Object o) {
    stack.add(o);
  }

  private Object pop(int at) throws FileFormatException {
    int n = stack.size();
    if (n == 0 || stack.get(n - 1) == MARK) {
      throw badAt(at, "stack underflow");
    }
    return stack.remove(n - 1);
  }

  private Object peek(int at) throws FileFormatException {
    int n = stack.size();
    if (n == 0 || stack.get(n - 1) == MARK) {
      throw badAt(at, "stack underflow");
    }
    return stack.get(n - 1);
  }

  private List<Object> popMark(int at) throws FileFormatException {
    if (marks.isEmpty()) {
      throw badAt(at, "no MARK on the stack");
    }
    int m = marks.remove(marks.size() - 1);
    List<Object> sub = stack.subList(m + 1, stack.size());
    List<Object> items = new ArrayList<>(sub);
    stack.subList(m, stack.size()).clear();
    return items;
  }

  private Object memoGet(long key, int at) throws FileFormatException {
    if (!memo.containsKey(key)) {
      throw badAt(at, "memo has no entry " + key);
    }
    return memo.get(key);
  }

  // ------------------------------------------------------------------ bytes

  private void need(long n) throws FileFormatException {
    if (n > data.length - pos) {
      throw bad("truncated: needs " + n + " more bytes at byte " + pos + " of " + data.length);
    }
  }

  private int u8() throws FileFormatException {
    need(1);
    return data[pos++] & 0xff;
  }

  private int u16() throws FileFormatException {
    need(2);
    int v = (data[pos] & 0xff) | (data[pos + 1] & 0xff) << 8;
    pos += 2;
    return v;
  }

  private int i32() throws FileFormatException {
    need(4);
    int v =
        (data[pos] & 0xff)
            | (data[pos + 1] & 0xff) << 8
            | (data[pos + 2] & 0xff) << 16
            | (data[pos + 3] & 0xff) << 24;
    pos += 4;
    return v;
  }

  private long u32() throws FileFormatException {
    return i32() & 0xffffffffL;
  }

  private long i64() throws FileFormatException {
    long lo = u32();
    long hi = u32();
    return lo | hi << 32;
  }

  private long i64BigEndian() throws FileFormatException {
    need(8);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = v << 8 | (data[pos++] & 0xff);
    }
    return v;
  }

  private int len32(int at) throws FileFormatException {
    long n = i32();
    if (n < 0) {
      throw badAt(at, "negative length " + n);
    }
    need(n);
    return (int) n;
  }

  private int len64(int at) throws FileFormatException {
    long n = i64();
    if (n < 0 || n > data.length - pos) {
      throw bad(
          "truncated: a length of "
              + Long.toUnsignedString(n)
              + " at byte "
              + at
              + " runs past the end ("
              + data.length
              + " bytes)");
    }
    return (int) n;
  }

  private void skip(int n) throws FileFormatException {
    need(n);
    pos += n;
  }

  private byte[] bytes(int n) throws FileFormatException {
    need(n);
    byte[] b = java.util.Arrays.copyOfRange(data, pos, pos + n);
    pos += n;
    return b;
  }

  private String utf8(int n, int at) throws FileFormatException {
    need(n);
    try {
      String s =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(java.nio.ByteBuffer.wrap(data, pos, n))
              .toString();
      pos += n;
      return s;
    } catch (CharacterCodingException e) {
      throw badAt(at, "string is not valid UTF-8");
    }
  }

  private String latin1(int n) throws FileFormatException {
    need(n);
    String s = new String(data, pos, n, StandardCharsets.ISO_8859_1);
    pos += n;
    return s;
  }

  private Object longN(int n) throws FileFormatException {
    need(n);
    if (n == 0) {
      return 0L;
    }
    byte[] be = new byte[n];
    for (int i = 0; i < n; i++) {
      be[i] = data[pos + n - 1 - i]; // little-endian two's complement -> big-endian
    }
    pos += n;
    BigInteger v = new BigInteger(be);
    return v.bitLength() < 64 ? (Object) v.longValue() : v;
  }

  /** A newline-terminated ASCII line (GLOBAL's module and name). */
  private String line(int at) throws FileFormatException {
    int start = pos;
    while (pos < data.length && data[pos] != '\n') {
      if (pos - start > 1000) {
        throw badAt(at, "GLOBAL name longer than 1000 bytes");
      }
      pos++;
    }
    if (pos >= data.length) {
      throw bad("truncated inside a GLOBAL opcode at byte " + at);
    }
    String s = new String(data, start, pos - start, StandardCharsets.UTF_8);
    pos++;
    return s;
  }

  static String typeName(Object o) {
    if (o == null) {
      return "None";
    }
    if (o instanceof Global g) {
      return g.toString();
    }
    if (o instanceof StorageType t) {
      return t.toString();
    }
    if (o instanceof PyTuple) {
      return "tuple";
    }
    if (o instanceof PyDict) {
      return "dict";
    }
    if (o instanceof List<?>) {
      return "list";
    }
    if (o instanceof Set<?>) {
      return "set";
    }
    if (o instanceof String) {
      return "str";
    }
    if (o instanceof Long || o instanceof BigInteger) {
      return "int";
    }
    if (o instanceof Double) {
      return "float";
    }
    if (o instanceof Boolean) {
      return "bool";
    }
    if (o instanceof byte[]) {
      return "bytes";
    }
    if (o instanceof Tensor) {
      return "Tensor";
    }
    return o.getClass().getSimpleName();
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && i < 200; i++) {
      char c = s.charAt(i);
      b.append(
          c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c & 0xff));
    }
    return s.length() > 200 ? b + "..." : b.toString();
  }
}
