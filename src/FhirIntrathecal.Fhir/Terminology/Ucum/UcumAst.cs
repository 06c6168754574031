using System.Numerics;

namespace FhirIntrathecal.Fhir.Terminology.Ucum;

/// <summary>A component of a UCUM term; <see cref="Position"/> is its 0-based offset in the source.</summary>
internal abstract record UcumComponent(int Position);

/// <summary>A (possibly prefixed) unit atom with exponent and optional trailing annotation, e.g. "mL2{x}".</summary>
internal sealed record UcumUnitComponent(
    int Position,
    string Symbol,
    UcumPrefix? Prefix,
    UcumAtom Atom,
    int Exponent,
    string? Annotation) : UcumComponent(Position);

/// <summary>A positive integer factor such as the "10" in "10.L".</summary>
internal sealed record UcumFactorComponent(int Position, BigInteger Value) : UcumComponent(Position);

/// <summary>An annotation standing alone, e.g. "{score}"; it means the unity 1.</summary>
internal sealed record UcumAnnotationComponent(int Position, string Annotation) : UcumComponent(Position);

/// <summary>A parenthesised sub-term.</summary>
internal sealed record UcumGroupComponent(int Position, UcumTerm Term) : UcumComponent(Position);

/// <summary>One operand of a term with the operator that precedes it ("/" divides, "." or nothing multiplies).</summary>
internal readonly record struct UcumTermPart(bool Divide, UcumComponent Component);

/// <summary>A term evaluated strictly left to right, as the UCUM grammar requires: a/b.c = (a/b).c.</summary>
internal sealed record UcumTerm(IReadOnlyList<UcumTermPart> Parts);
