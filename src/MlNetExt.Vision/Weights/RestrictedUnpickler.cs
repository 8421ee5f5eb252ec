using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace MlNetExt.Vision.Weights;

/// <summary>
/// A pickle reader for the subset of pickle that <c>torch.save(state_dict)</c> writes (protocols 2 to 5). It builds
/// plain data (null, bool, long, BigInteger, double, string, byte[], <see cref="PickleList"/>, tuples as
/// <c>object?[]</c>, <see cref="PickleDict"/>) and tensor descriptions; a Python global is only ever a name that the
/// allow-list below turns into one of those. Anything else — another global (<c>os.system</c>, <c>builtins.eval</c>,
/// a model class), or an opcode that instantiates classes (INST, OBJ, NEWOBJ, EXT) — stops the read with an
/// <see cref="InvalidDataException"/> before anything is built. Nothing from the file is ever executed: this reader
/// has no way to call code by name.
/// </summary>
internal sealed class RestrictedUnpickler
{
    /// <summary>A Python global the allow-list accepted.</summary>
    internal sealed record PickleGlobal(string Module, string Name)
    {
        public override string ToString() => $"{Module}.{Name}";
    }

    /// <summary>A storage named by a persistent id: its type (<c>torch.FloatStorage</c>...), key and element count.</summary>
    internal sealed record StorageRef(string StorageType, string Key, long Elements);

    /// <summary>What <c>torch._utils._rebuild_tensor_v2</c> would build: a strided view of a storage.</summary>
    internal sealed record TensorRef(StorageRef Storage, long Offset, long[] Shape, long[] Stride);

    /// <summary>A Python list.</summary>
    internal sealed class PickleList : List<object?>
    {
    }

    /// <summary>A Python dict or OrderedDict, in insertion order.</summary>
    internal sealed class PickleDict
    {
        private readonly Dictionary<object, int> _index = new();
        private static readonly object NoneKey = new();

        /// <summary>Entries in insertion order.</summary>
        public List<KeyValuePair<object?, object?>> Items { get; } = new();

        /// <summary>Sets a key as Python does (a repeated key keeps its first position and takes the new value).</summary>
        public void Set(object? key, object? value)
        {
            object indexKey = key switch
            {
                null => NoneKey,
                object?[] or PickleList or PickleDict => throw new InvalidDataException("a dict key is a container, which Python does not allow"),
                _ => key,
            };
            if (_index.TryGetValue(indexKey, out int at))
            {
                Items[at] = new(key, value);
            }
            else
            {
                _index[indexKey] = Items.Count;
                Items.Add(new(key, value));
            }
        }

        /// <summary>The value of a string key, if present.</summary>
        public bool TryGet(string key, out object? value)
        {
            if (_index.TryGetValue(key, out int at))
            {
                value = Items[at].Value;
                return true;
            }

            value = null;
            return false;
        }
    }

    private const int MaxStringBytes = 64 << 20;
    private const int MaxDepth = 10_000;
    private static readonly object Mark = new();

    private readonly Stream _stream;
    private readonly string _source;
    private readonly Func<object?, object> _persistentLoad;
    private readonly List<object?> _stack = new();
    private readonly Stack<int> _marks = new();
    private readonly Dictionary<long, object?> _memo = new();
    private long _position;

    /// <summary>Creates a reader of one pickle from <paramref name="stream"/> (read from its current position, no read-ahead).</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="source">File name for error messages.</param>
    /// <param name="persistentLoad">Turns a persistent id (BINPERSID) into an object; it validates the id itself.</param>
    public RestrictedUnpickler(Stream stream, string source, Func<object?, object> persistentLoad)
    {
        _stream = stream;
        _source = source;
        _persistentLoad = persistentLoad;
    }

    /// <summary>Reads one pickle, up to and including its STOP opcode.</summary>
    public object? Load()
    {
        while (true)
        {
            long at = _position;
            int op = ReadByte();
            switch (op)
            {
                case 0x80: // PROTO
                    int protocol = ReadU8();
                    if (protocol > 5)
                    {
                        throw Invalid($"uses pickle protocol {protocol}; protocols up to 5 are known");
                    }

                    break;
                case 0x95: // FRAME: a length hint only
                    ReadBytes(8);
                    break;
                case '.': // STOP
                    if (_stack.Count != 1 || _marks.Count != 0)
                    {
                        throw Invalid($"its pickle ends (byte {at}) with {_stack.Count} values on the stack");
                    }

                    return Pop();
                case '(': // MARK
                    if (_marks.Count >= MaxDepth)
                    {
                        throw Invalid($"nests containers more than {MaxDepth} deep");
                    }

                    _marks.Push(_stack.Count);
                    _stack.Add(Mark);
                    break;
                case '0': // POP
                    Pop();
                    break;
                case '1': // POP_MARK
                    PopMark();
                    break;
                case '2': // DUP
                    Push(Peek());
                    break;
                case 'N':
                    Push(null);
                    break;
                case 0x88:
                    Push(true);
                    break;
                case 0x89:
                    Push(false);
                    break;
                case 'K': // BININT1
                    Push((long)ReadU8());
                    break;
                case 'M': // BININT2
                    Push((long)BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2)));
                    break;
                case 'J': // BININT
                    Push((long)BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4)));
                    break;
                case 0x8A: // LONG1
                    Push(ReadLong(ReadU8()));
                    break;
                case 0x8B: // LONG4
                    Push(ReadLong(BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4))));
                    break;
                case 'G': // BINFLOAT (big-endian)
                    Push(BinaryPrimitives.ReadDoubleBigEndian(ReadBytes(8)));
                    break;
                case 'X': // BINUNICODE
                    Push(Encoding.UTF8.GetString(ReadBytes(Length(BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4))))));
                    break;
                case 0x8C: // SHORT_BINUNICODE
                    Push(Encoding.UTF8.GetString(ReadBytes(ReadU8())));
                    break;
                case 0x8D: // BINUNICODE8
                    Push(Encoding.UTF8.GetString(ReadBytes(Length(BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(8))))));
                    break;
                case 'U': // SHORT_BINSTRING (Python 2 str)
                    Push(Encoding.Latin1.GetString(ReadBytes(ReadU8())));
                    break;
                case 'T': // BINSTRING
                    Push(Encoding.Latin1.GetString(ReadBytes(Length((ulong)BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4))))));
                    break;
                case 'C': // SHORT_BINBYTES
                    Push(ReadBytes(ReadU8()));
                    break;
                case 'B': // BINBYTES
                    Push(ReadBytes(Length(BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4)))));
                    break;
                case 0x8E: // BINBYTES8
                    Push(ReadBytes(Length(BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(8)))));
                    break;
                case ')': // EMPTY_TUPLE
                    Push(Array.Empty<object?>());
                    break;
                case 't': // TUPLE
                    Push(PopMark().ToArray());
                    break;
                case 0x85: // TUPLE1
                    Push(new[] { Pop() });
                    break;
                case 0x86: // TUPLE2
                {
                    var b = Pop();
                    var a = Pop();
                    Push(new[] { a, b });
                    break;
                }

                case 0x87: // TUPLE3
                {
                    var c = Pop();
                    var b = Pop();
                    var a = Pop();
                    Push(new[] { a, b, c });
                    break;
                }

                case ']': // EMPTY_LIST
                    Push(new PickleList());
                    break;
                case 'l': // LIST
                {
                    var list = new PickleList();
                    list.AddRange(PopMark());
                    Push(list);
                    break;
                }

                case 'a': // APPEND
                {
                    var value = Pop();
                    Top<PickleList>("APPEND").Add(value);
                    break;
                }

                case 'e': // APPENDS
                {
                    var values = PopMark();
                    Top<PickleList>("APPENDS").AddRange(values);
                    break;
                }

                case '}': // EMPTY_DICT
                    Push(new PickleDict());
                    break;
                case 'd': // DICT
                {
                    var dict = new PickleDict();
                    SetItems(dict, PopMark());
                    Push(dict);
                    break;
                }

                case 's': // SETITEM
                {
                    var value = Pop();
                    var key = Pop();
                    SetItem(Top<PickleDict>("SETITEM"), key, value);
                    break;
                }

                case 'u': // SETITEMS
                {
                    var items = PopMark();
                    SetItems(Top<PickleDict>("SETITEMS"), items);
                    break;
                }

                case 'q': // BINPUT
                    _memo[ReadU8()] = Peek();
                    break;
                case 'r': // LONG_BINPUT
                    _memo[BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4))] = Peek();
                    break;
                case 0x94: // MEMOIZE
                    _memo[_memo.Count] = Peek();
                    break;
                case 'h': // BINGET
                    Push(Recall(ReadU8(), at));
                    break;
                case 'j': // LONG_BINGET
                    Push(Recall(BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4)), at));
                    break;
                case 'c': // GLOBAL
                {
                    string module = ReadLine();
                    string name = ReadLine();
                    Push(Allow(module, name));
                    break;
                }

                case 0x93: // STACK_GLOBAL
                {
                    var name = Pop();
                    var module = Pop();
                    if (module is not string m || name is not string n)
                    {
                        throw Invalid($"has a STACK_GLOBAL at byte {at} without two strings");
                    }

                    Push(Allow(m, n));
                    break;
                }

                case 'R': // REDUCE
                {
                    var args = Pop();
                    var callable = Pop();
                    if (callable is not PickleGlobal global || args is not object?[] tuple)
                    {
                        throw Invalid($"has a REDUCE at byte {at} that does not apply an allowed global to a tuple");
                    }

                    Push(Call(global, tuple));
                    break;
                }

                case 'b': // BUILD: only the attribute dict of a state dict's OrderedDict (its _metadata) is accepted and ignored
                {
                    var state = Pop();
                    var target = Peek();
                    if (target is not PickleDict || state is not (null or PickleDict))
                    {
                        throw Invalid($"sets the state of a {Describe(target)} (BUILD at byte {at}), which a state dict never does");
                    }

                    break;
                }

                case 'Q': // BINPERSID
                    Push(_persistentLoad(Pop()));
                    break;
                case -1:
                    throw Invalid("is truncated (the pickle ends without STOP)");
                default:
                    throw Invalid($"uses pickle opcode 0x{op:x2} at byte {at}, which a state dict never needs "
                        + "(opcodes that build arbitrary objects are refused)");
            }
        }
    }

    /// <summary>The allow-list: the only Python names a state dict refers to.</summary>
    private PickleGlobal Allow(string module, string name)
    {
        bool allowed = (module, name) switch
        {
            ("collections", "OrderedDict") => true,
            ("torch._utils", "_rebuild_tensor_v2" or "_rebuild_tensor" or "_rebuild_parameter" or "_rebuild_parameter_with_state") => true,
            ("torch", _) when name.EndsWith("Storage", StringComparison.Ordinal) && name.All(char.IsAsciiLetterOrDigit) => true,
            _ => false,
        };
        if (!allowed)
        {
            throw Invalid($"refers to the Python global '{module}.{name}'. A state dict needs only tensors, numbers, strings and containers; "
                + "MlNetExt's restricted reader refuses anything else and never runs code from a file. If this file holds a whole pickled model "
                + "(torch.save(model)), save model.state_dict() instead");
        }

        return new PickleGlobal(module, name);
    }

    private object Call(PickleGlobal global, object?[] args)
    {
        switch (global.Module, global.Name)
        {
            case ("collections", "OrderedDict"):
            {
                var dict = new PickleDict();
                if (args.Length == 1 && args[0] is PickleList pairs)
                {
                    foreach (var pair in pairs)
                    {
                        var kv = pair as object?[] ?? (pair as PickleList)?.ToArray();
                        if (kv is not { Length: 2 })
                        {
                            throw Invalid("builds an OrderedDict from something other than key-value pairs");
                        }

                        SetItem(dict, kv[0], kv[1]);
                    }
                }
                else if (args.Length != 0)
                {
                    throw Invalid($"builds an OrderedDict with {args.Length} unexpected arguments");
                }

                return dict;
            }

            case ("torch._utils", "_rebuild_tensor_v2" or "_rebuild_tensor"):
                if (args.Length < 4 || args[0] is not StorageRef storage || args[1] is not long offset
                    || Longs(args[2]) is not { } shape || Longs(args[3]) is not { } stride)
                {
                    throw Invalid($"calls {global} with arguments that are not (storage, offset, size, stride, ...)");
                }

                return new TensorRef(storage, offset, shape, stride);
            case ("torch._utils", "_rebuild_parameter" or "_rebuild_parameter_with_state"):
                if (args.Length < 1 || args[0] is not TensorRef data)
                {
                    throw Invalid($"calls {global} without a tensor");
                }

                return data;
            default:
                throw Invalid($"calls {global}, which is not callable in a state dict");
        }
    }

    private static long[]? Longs(object? value)
    {
        var items = value as object?[] ?? (value as PickleList)?.ToArray();
        if (items is null || items.Any(i => i is not long))
        {
            return null;
        }

        return items.Select(i => (long)i!).ToArray();
    }

    private void SetItems(PickleDict dict, List<object?> items)
    {
        if (items.Count % 2 != 0)
        {
            throw Invalid("has a dict with an odd number of keys and values");
        }

        for (int i = 0; i < items.Count; i += 2)
        {
            SetItem(dict, items[i], items[i + 1]);
        }
    }

    private void SetItem(PickleDict dict, object? key, object? value)
    {
        try
        {
            dict.Set(key, value);
        }
        catch (InvalidDataException ex)
        {
            throw Invalid(ex.Message);
        }
    }

    private object ReadLong(int length)
    {
        if (length < 0 || length > 64)
        {
            throw Invalid($"has an integer of {length} bytes");
        }

        var bytes = ReadBytes(length);
        if (length <= 8)
        {
            long value = 0;
            for (int i = length - 1; i >= 0; i--)
            {
                value = (value << 8) | bytes[i];
            }

            // Sign-extend from the top byte.
            return length is 0 or 8 ? value : (value << (64 - 8 * length)) >> (64 - 8 * length);
        }

        return new BigInteger(bytes, isUnsigned: false, isBigEndian: false);
    }

    private int Length(ulong declared)
    {
        if (declared > MaxStringBytes)
        {
            throw Invalid($"declares a string or bytes value of {declared} bytes (at most {MaxStringBytes} are read)");
        }

        return (int)declared;
    }

    private string ReadLine()
    {
        var bytes = new List<byte>();
        while (true)
        {
            int b = ReadByte();
            if (b == '\n')
            {
                return Encoding.UTF8.GetString(bytes.ToArray());
            }

            if (b < 0 || bytes.Count >= 256)
            {
                throw Invalid("has a malformed GLOBAL name");
            }

            bytes.Add((byte)b);
        }
    }

    private int ReadByte()
    {
        int b = _stream.ReadByte();
        if (b >= 0)
        {
            _position++;
        }

        return b;
    }

    private int ReadU8()
    {
        int b = ReadByte();
        return b >= 0 ? b : throw new InvalidDataException($"'{_source}' is truncated (a pickle value runs past the end).");
    }

    private byte[] ReadBytes(int count)
    {
        var buffer = new byte[count];
        try
        {
            _stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException ex)
        {
            throw new InvalidDataException($"'{_source}' is truncated (a pickle value runs past the end).", ex);
        }

        _position += count;
        return buffer;
    }

    private object? Recall(long key, long at) =>
        _memo.TryGetValue(key, out var value) ? value : throw Invalid($"recalls memo entry {key} (byte {at}), which was never stored");

    private void Push(object? value) => _stack.Add(value);

    private object? Peek()
    {
        if (_stack.Count == 0 || _stack[^1] == Mark)
        {
            throw Invalid("pops an empty stack");
        }

        return _stack[^1];
    }

    private object? Pop()
    {
        var value = Peek();
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    private T Top<T>(string opcode)
        where T : class =>
        Peek() as T ?? throw Invalid($"applies {opcode} to a {Describe(_stack[^1])}");

    private List<object?> PopMark()
    {
        if (_marks.Count == 0)
        {
            throw Invalid("closes a MARK that was never opened");
        }

        int mark = _marks.Pop();
        var items = _stack.GetRange(mark + 1, _stack.Count - mark - 1);
        _stack.RemoveRange(mark, _stack.Count - mark);
        return items;
    }

    private static string Describe(object? value) => value switch
    {
        null => "None",
        PickleDict => "dict",
        PickleList => "list",
        object?[] => "tuple",
        TensorRef => "tensor",
        _ => value.GetType().Name,
    };

    private InvalidDataException Invalid(string problem) => new($"'{_source}' is not a plain PyTorch state dict: it {problem}.");
}
