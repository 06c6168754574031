namespace FhirIntrathecal.Fhir.Terminology.Ucum;

/// <summary>Outcome of reducing a parsed expression to base units.</summary>
internal sealed record UcumEvaluation(UcumCanonical? Canonical, string? Error, int Position);

/// <summary>
/// Reduces atoms and parsed terms to canonical (base-unit) form by following the essence
/// definitions recursively.
/// </summary>
/// <remarks>
/// Every atom is resolved once, eagerly, in the constructor (memoised in a plain dictionary), so the
/// resolver is read-only and therefore thread-safe afterwards. Resolving eagerly also means a broken
/// or cyclic essence fails at load time rather than on some later conversion.
/// </remarks>
internal sealed class UcumResolver
{
    private readonly UcumEssence _essence;
    private readonly Dictionary<string, UcumCanonical> _atoms = new(StringComparer.Ordinal);
    private readonly HashSet<string> _resolving = new(StringComparer.Ordinal);

    public UcumResolver(UcumEssence essence)
    {
        _essence = essence;
        foreach (var atom in essence.Atoms.Values)
        {
            ResolveAtom(atom);
        }

        _resolving.Clear();
    }

    /// <summary>The canonical form of one atom; for special atoms, the form of its proper unit.</summary>
    public UcumCanonical Atom(UcumAtom atom) => _atoms[atom.Code];

    public UcumEvaluation Evaluate(UcumTerm term)
    {
        // A special unit's function is non-linear (or affine), so it only means something when it is
        // the whole expression: "Cel" converts to "[degF]", but "Cel/s" or "Cel2" has no defined value.
        if (term.Parts is [{ Divide: false, Component: UcumUnitComponent { Atom.IsSpecial: true, Exponent: 1 } lone }])
        {
            var proper = Atom(lone.Atom);
            var prefix = lone.Prefix?.Value ?? Rational.One;
            return new UcumEvaluation(
                new UcumCanonical(proper.Factor, proper.Dimensions, new UcumSpecialUse(lone.Atom, prefix, proper.Factor)),
                null,
                -1);
        }

        var builder = new UcumCanonicalBuilder();
        return Accumulate(term, builder, 1) ?? new UcumEvaluation(builder.Build(), null, -1);
    }

    /// <summary>Multiplies <paramref name="builder"/> by term^sign; returns an error evaluation or null.</summary>
    private UcumEvaluation? Accumulate(UcumTerm term, UcumCanonicalBuilder builder, int sign)
    {
        foreach (var part in term.Parts)
        {
            var exponent = part.Divide ? -sign : sign;
            var ok = true;
            switch (part.Component)
            {
                case UcumUnitComponent unit:
                    if (unit.Atom.IsSpecial)
                    {
                        return Failure($"special unit '{unit.Atom.Code}' cannot be combined with other units or exponents at {unit.Position}", unit.Position);
                    }

                    var power = exponent * unit.Exponent;
                    ok = builder.MultiplyScalar(unit.Prefix?.Value ?? Rational.One, power)
                        && builder.Multiply(Atom(unit.Atom), power);
                    break;
                case UcumFactorComponent factor:
                    ok = builder.MultiplyScalar(new Rational(factor.Value, System.Numerics.BigInteger.One), exponent);
                    break;
                case UcumAnnotationComponent:
                    break; // An annotation alone is the unity.
                case UcumGroupComponent group:
                    var inner = Accumulate(group.Term, builder, exponent);
                    if (inner is not null)
                    {
                        return inner;
                    }

                    break;
            }

            if (!ok)
            {
                return Failure($"division by zero or magnitude out of range at {part.Component.Position}", part.Component.Position);
            }
        }

        return null;
    }

    private static UcumEvaluation Failure(string message, int position) => new(null, message, position);

    private UcumCanonical ResolveAtom(UcumAtom atom)
    {
        if (_atoms.TryGetValue(atom.Code, out var done))
        {
            return done;
        }

        if (!_resolving.Add(atom.Code))
        {
            throw new InvalidDataException($"UCUM essence definition of '{atom.Code}' is circular.");
        }

        var result = atom switch
        {
            { IsBase: true } => UcumCanonical.Base(atom.Code),
            { IsSpecial: true } => ResolveDefinition(atom, atom.Function!.Value, atom.Function.Unit),
            { IsArbitrary: true } when !DefinitionMentionsArbitrary(atom) => UcumCanonical.Base(atom.Code),
            _ => ResolveDefinition(atom, atom.Value, atom.Unit!),
        };

        _resolving.Remove(atom.Code);
        _atoms[atom.Code] = result;
        return result;
    }

    /// <summary>
    /// True when an arbitrary unit is defined through another arbitrary unit ([IU] = 1 [iU]), so the
    /// two share a dimension; otherwise the arbitrary unit is its own dimension.
    /// </summary>
    private bool DefinitionMentionsArbitrary(UcumAtom atom)
    {
        var parsed = UcumParser.Parse(_essence, atom.Unit!);
        return parsed.Term is not null && Atoms(parsed.Term).Any(a => a.IsArbitrary);
    }

    private static IEnumerable<UcumAtom> Atoms(UcumTerm term) =>
        term.Parts.SelectMany(p => p.Component switch
        {
            UcumUnitComponent u => [u.Atom],
            UcumGroupComponent g => Atoms(g.Term),
            _ => [],
        });

    private UcumCanonical ResolveDefinition(UcumAtom atom, Rational value, string unit)
    {
        var parsed = UcumParser.Parse(_essence, unit);
        if (parsed.Term is null)
        {
            throw new InvalidDataException($"UCUM essence definition of '{atom.Code}' ('{unit}') does not parse: {parsed.Error}");
        }

        // Resolve the atoms of the definition first (depth-first), then evaluate with them in place.
        foreach (var used in Atoms(parsed.Term))
        {
            ResolveAtom(used);
        }

        var builder = new UcumCanonicalBuilder();
        var error = Accumulate(parsed.Term, builder, 1);
        if (error is not null)
        {
            throw new InvalidDataException($"UCUM essence definition of '{atom.Code}' ('{unit}') is unusable: {error.Error}");
        }

        if (!builder.MultiplyScalar(value, 1))
        {
            throw new InvalidDataException($"UCUM essence definition of '{atom.Code}' has an unusable value.");
        }

        return builder.Build();
    }
}
