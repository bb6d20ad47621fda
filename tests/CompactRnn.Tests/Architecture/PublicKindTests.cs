using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using CompactRnn.GateMatrices;
using CompactRnn.Layers;

namespace CompactRnn.Tests.Architecture;

/// <summary>
/// Every gate-matrix kind the library makes public is one that a spec builds (issue 16 item 4): a public kind no spec reaches
/// would be API a user can construct but never put into a layer, a model file or a command line. The specs are found by
/// reflection too, so a new spec record or a new public kind enters the check without editing it.
/// </summary>
public sealed class PublicKindTests
{
    [Fact]
    public void EveryPublicConcreteGateMatrixKind_IsBuiltBySomeSpec()
    {
        Assembly library = typeof(GateMatrix).Assembly;
        var built = new HashSet<Type>();
        foreach (Type specType in library.GetExportedTypes().Where(t => t.IsSubclassOf(typeof(GateMatrixSpec)) && !t.IsAbstract))
        {
            string name = (string)specType.GetField("Name", BindingFlags.Public | BindingFlags.Static)!.GetRawConstantValue()!;
            GateMatrixSpec spec = GateMatrixSpec.Create(name, 2, "kind");
            built.Add(spec.Build(16, 8, gateCount: 4).GetType());
            built.Add(spec.Build(8, 8, gateCount: 1).GetType());
        }

        Type[] kinds = [.. library.GetExportedTypes().Where(t => t.IsSubclassOf(typeof(GateMatrix)) && !t.IsAbstract)];
        Assert.NotEmpty(kinds);
        foreach (Type kind in kinds)
        {
            Assert.True(built.Contains(kind), $"{kind.Name} is public but no spec builds it: reach it from a spec or make it internal.");
        }
    }

    [Fact]
    public void EveryPublicAbstractGateMatrixBase_HasAPublicKindBelowIt()
    {
        Assembly library = typeof(GateMatrix).Assembly;
        Type[] kinds = [.. library.GetExportedTypes().Where(t => t.IsSubclassOf(typeof(GateMatrix)) && !t.IsAbstract)];
        foreach (Type abstraction in library.GetExportedTypes().Where(t => t.IsSubclassOf(typeof(GateMatrix)) && t.IsAbstract))
        {
            Assert.True(kinds.Any(kind => kind.IsSubclassOf(abstraction)), $"{abstraction.Name} is a public base of no public kind.");
        }
    }
}
