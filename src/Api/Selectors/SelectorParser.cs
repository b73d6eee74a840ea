using MiniKube.Api.Validation;

namespace MiniKube.Api.Selectors;

/// <summary>
/// The lexer and recursive-descent parser of labels.Parse, token for token, so that both what it accepts
/// and the words of its errors are k8s's.
/// </summary>
internal sealed class SelectorParser
{
    private enum Token
    {
        Error,
        EndOfString,
        ClosedPar,
        Comma,
        DoesNotExist,
        DoubleEquals,
        EqualsSign,
        GreaterThan,
        Identifier,
        In,
        LessThan,
        NotEquals,
        NotIn,
        OpenPar,
    }

    private static readonly Dictionary<string, Token> Literals = new(StringComparer.Ordinal)
    {
        [")"] = Token.ClosedPar,
        [","] = Token.Comma,
        ["!"] = Token.DoesNotExist,
        ["=="] = Token.DoubleEquals,
        ["="] = Token.EqualsSign,
        [">"] = Token.GreaterThan,
        ["in"] = Token.In,
        ["<"] = Token.LessThan,
        ["!="] = Token.NotEquals,
        ["notin"] = Token.NotIn,
        ["("] = Token.OpenPar,
    };

    private const string BinaryOperators = "in, notin, =, ==, !=, gt, lt";

    private readonly string s;
    private int pos;
    private readonly List<(Token Tok, string Lit)> items = [];
    private int position;

    public SelectorParser(string selector) => s = selector;

    public List<Requirement> Parse()
    {
        Scan();
        var reqs = new List<Requirement>();
        while (true)
        {
            var (tok, lit) = Lookahead(values: true);
            switch (tok)
            {
                case Token.Identifier or Token.DoesNotExist:
                    Requirement r;
                    try
                    {
                        r = ParseRequirement();
                    }
                    catch (SelectorParseException e)
                    {
                        throw new SelectorParseException("unable to parse requirement: " + e.Message);
                    }
                    reqs.Add(r);
                    var (t, l) = Consume(values: true);
                    switch (t)
                    {
                        case Token.EndOfString:
                            return reqs;
                        case Token.Comma:
                            var (t2, l2) = Lookahead(values: true);
                            if (t2 is not Token.Identifier and not Token.DoesNotExist)
                            {
                                throw new SelectorParseException($"found '{l2}', expected: identifier after ','");
                            }
                            break;
                        default:
                            throw new SelectorParseException($"found '{l}', expected: ',' or 'end of string'");
                    }
                    break;
                case Token.EndOfString:
                    return reqs;
                default:
                    throw new SelectorParseException($"found '{lit}', expected: !, identifier, or 'end of string'");
            }
        }
    }

    private Requirement ParseRequirement()
    {
        var (key, op) = ParseKeyAndInferOperator();
        if (op is SelectorOperator.Exists or SelectorOperator.DoesNotExist)
        {
            return Requirement.Create(key, op.Value, []);
        }
        var binary = ParseOperator();
        var values = binary is SelectorOperator.In or SelectorOperator.NotIn ? ParseValues() : ParseExactValue();
        return Requirement.Create(key, binary, values.Order(StringComparer.Ordinal));
    }

    private (string Key, SelectorOperator? Op) ParseKeyAndInferOperator()
    {
        SelectorOperator? op = null;
        var (tok, literal) = Consume(values: true);
        if (tok == Token.DoesNotExist)
        {
            op = SelectorOperator.DoesNotExist;
            (tok, literal) = Consume(values: true);
        }
        if (tok != Token.Identifier)
        {
            throw new SelectorParseException($"found '{literal}', expected: identifier");
        }
        if (ValidationRules.IsQualifiedName(literal) is { Count: > 0 } errs)
        {
            // k8s passes a nil field path here, which prints as "<nil>".
            throw new SelectorParseException(FieldErrors.Invalid("<nil>", literal, string.Join("; ", errs)));
        }
        var (next, _) = Lookahead(values: true);
        if (next is Token.EndOfString or Token.Comma && op != SelectorOperator.DoesNotExist)
        {
            op = SelectorOperator.Exists;
        }
        return (literal, op);
    }

    private SelectorOperator ParseOperator()
    {
        var (tok, lit) = Consume(values: false);
        return tok switch
        {
            Token.In => SelectorOperator.In,
            Token.EqualsSign => SelectorOperator.Equals,
            Token.DoubleEquals => SelectorOperator.DoubleEquals,
            Token.GreaterThan => SelectorOperator.GreaterThan,
            Token.LessThan => SelectorOperator.LessThan,
            Token.NotIn => SelectorOperator.NotIn,
            Token.NotEquals => SelectorOperator.NotEquals,
            _ => throw new SelectorParseException($"found '{lit}', expected: {BinaryOperators}"),
        };
    }

    private SortedSet<string> ParseValues()
    {
        var (tok, lit) = Consume(values: true);
        if (tok != Token.OpenPar)
        {
            throw new SelectorParseException($"found '{lit}' expected: '('");
        }
        (tok, lit) = Lookahead(values: true);
        switch (tok)
        {
            case Token.Identifier or Token.Comma:
                var set = ParseIdentifiersList();
                if (Consume(values: true).Tok != Token.ClosedPar)
                {
                    throw new SelectorParseException($"found '{lit}', expected: ')'");
                }
                return set;
            case Token.ClosedPar:
                Consume(values: true);
                return new SortedSet<string>(StringComparer.Ordinal) { "" };
            default:
                throw new SelectorParseException($"found '{lit}', expected: ',', ')' or identifier");
        }
    }

    private SortedSet<string> ParseIdentifiersList()
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var (tok, lit) = Consume(values: true);
            switch (tok)
            {
                case Token.Identifier:
                    set.Add(lit);
                    var (tok2, lit2) = Lookahead(values: true);
                    switch (tok2)
                    {
                        case Token.Comma:
                            continue;
                        case Token.ClosedPar:
                            return set;
                        default:
                            throw new SelectorParseException($"found '{lit2}', expected: ',' or ')'");
                    }
                case Token.Comma:
                    if (set.Count == 0)
                    {
                        set.Add("");
                    }
                    var (next, _) = Lookahead(values: true);
                    if (next == Token.ClosedPar)
                    {
                        set.Add("");
                        return set;
                    }
                    if (next == Token.Comma)
                    {
                        Consume(values: true);
                        set.Add("");
                    }
                    break;
                default:
                    throw new SelectorParseException($"found '{lit}', expected: ',', or identifier");
            }
        }
    }

    private SortedSet<string> ParseExactValue()
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        var (tok, _) = Lookahead(values: true);
        if (tok is Token.EndOfString or Token.Comma)
        {
            set.Add("");
            return set;
        }
        (tok, var lit) = Consume(values: true);
        if (tok == Token.Identifier)
        {
            set.Add(lit);
            return set;
        }
        throw new SelectorParseException($"found '{lit}', expected: identifier");
    }

    // In a value position the keywords "in" and "notin" are plain identifiers ("x in (in)").
    private (Token Tok, string Lit) Lookahead(bool values) => AsContext(items[position], values);

    private (Token Tok, string Lit) Consume(bool values) => AsContext(items[position++], values);

    private static (Token Tok, string Lit) AsContext((Token Tok, string Lit) item, bool values) =>
        values && item.Tok is Token.In or Token.NotIn ? (Token.Identifier, item.Lit) : item;

    private void Scan()
    {
        while (true)
        {
            var item = Lex();
            items.Add(item);
            if (item.Tok == Token.EndOfString)
            {
                return;
            }
        }
    }

    private (Token Tok, string Lit) Lex()
    {
        while (pos < s.Length && IsWhitespace(s[pos]))
        {
            pos++;
        }
        if (pos >= s.Length)
        {
            return (Token.EndOfString, "");
        }
        return IsSpecialSymbol(s[pos]) ? ScanSpecialSymbol() : ScanIdOrKeyword();
    }

    private (Token, string) ScanIdOrKeyword()
    {
        var start = pos;
        while (pos < s.Length && !IsSpecialSymbol(s[pos]) && !IsWhitespace(s[pos]))
        {
            pos++;
        }
        var word = s[start..pos];
        return Literals.TryGetValue(word, out var tok) ? (tok, word) : (Token.Identifier, word);
    }

    // Takes the longest run of symbols that is still an operator ("!=" rather than "!" then "=").
    private (Token, string) ScanSpecialSymbol()
    {
        var start = pos;
        (Token Tok, string Lit)? last = null;
        while (pos < s.Length && IsSpecialSymbol(s[pos]))
        {
            var buffer = s[start..(pos + 1)];
            if (Literals.TryGetValue(buffer, out var tok))
            {
                last = (tok, buffer);
                pos++;
            }
            else if (last is not null)
            {
                break;
            }
            else
            {
                pos++;
            }
        }
        return last is { } l ? l : (Token.Error, $"error expected: keyword found '{s[start..pos]}'");
    }

    private static bool IsWhitespace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private static bool IsSpecialSymbol(char c) => c is '=' or '!' or '(' or ')' or ',' or '>' or '<';
}
