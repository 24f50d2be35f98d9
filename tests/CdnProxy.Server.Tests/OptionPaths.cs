using System.Collections;
using System.ComponentModel;
using System.Reflection;

namespace CdnProxy.Server.Tests;

/// <summary>
/// Checks configuration key paths (<c>Clouds:demo:Origin:Type</c>) against an options type the way the configuration
/// binder reads them: property names case-insensitive, any key at a dictionary level, an index at a list level, and
/// nothing below a value that converts from a string.
/// </summary>
internal static class OptionPaths
{
    /// <summary>Null when the path binds to a property, else the shortest prefix of it that does not.</summary>
    public static string? FirstUnknownPrefix(Type root, IReadOnlyList<string> segments)
    {
        var type = root;
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (IsValue(type))
            {
                return Prefix(segments, i);
            }

            if (DictionaryValueType(type) is { } valueType)
            {
                type = valueType;
                continue;
            }

            if (ElementType(type) is { } elementType)
            {
                if (!int.TryParse(segment, out _))
                {
                    return Prefix(segments, i);
                }

                type = elementType;
                continue;
            }

            var property = WithDerived(type)
                .Select(t => t.GetProperty(segment, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase))
                .FirstOrDefault(p => p is not null);
            if (property is null)
            {
                return Prefix(segments, i);
            }

            type = property.PropertyType;
        }

        return null;
    }

    /// <summary>
    /// Every setting of an options type as a key path: <c>&lt;name&gt;</c> stands for a dictionary key, <c>&lt;n&gt;</c> for
    /// a list index; a list of values is one setting. An options class is expanded where it first appears (the
    /// shallowest place); another property of the same class (a zone's origin, an origin's fallback) is one setting.
    /// </summary>
    public static IReadOnlyList<string> All(Type root)
    {
        var paths = new List<string>();
        var expanded = new HashSet<Type> { root };
        var pending = new Queue<(string Path, Type Type)>([(string.Empty, root)]);
        while (pending.TryDequeue(out var node))
        {
            var properties = WithDerived(node.Type)
                .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                .DistinctBy(p => p.Name);
            foreach (var property in properties)
            {
                var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                var bound = property.CanWrite || !IsValue(type);
                if (bound && property.GetIndexParameters().Length == 0)
                {
                    Visit(Join(node.Path, property.Name), type);
                }
            }
        }

        return paths;

        void Visit(string path, Type type)
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (IsValue(type))
            {
                paths.Add(path);
            }
            else if (DictionaryValueType(type) is { } valueType)
            {
                Visit(path + ":<name>", valueType);
            }
            else if (ElementType(type) is { } elementType)
            {
                Visit(IsValue(elementType) ? path : path + ":<n>", IsValue(elementType) ? typeof(string) : elementType);
            }
            else if (expanded.Add(type))
            {
                pending.Enqueue((path, type));
            }
            else
            {
                paths.Add(path);
            }
        }
    }

    /// <summary>
    /// The settings (as <c>Class.Property</c>) that the configuration binder's source generator cannot set: init-only
    /// properties of every options class reachable from <paramref name="root"/>. It skips them without a word.
    /// </summary>
    public static IReadOnlyList<string> InitOnly(Type root)
    {
        var found = new List<string>();
        var seen = new HashSet<Type>();
        var pending = new Queue<Type>([root]);
        while (pending.TryDequeue(out var type))
        {
            foreach (var declared in WithDerived(type).Where(seen.Add))
            {
                foreach (var property in declared.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
                {
                    if (property.SetMethod?.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(System.Runtime.CompilerServices.IsExternalInit)) == true)
                    {
                        found.Add($"{declared.Name}.{property.Name}");
                    }

                    var target = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                    target = DictionaryValueType(target) ?? ElementType(target) ?? target;
                    if (!IsValue(target) && target.Namespace?.StartsWith("CdnProxy", StringComparison.Ordinal) == true)
                    {
                        pending.Enqueue(target);
                    }
                }
            }
        }

        return found;
    }

    /// <summary>
    /// The type and the classes derived from it in its assembly: an origin's options are bound to the class of its
    /// kind (<c>S3OriginOptions</c>...), so their settings are settings of <c>Origin</c>.
    /// </summary>
    private static IEnumerable<Type> WithDerived(Type type) =>
        type.IsClass && !type.IsSealed && type != typeof(string) && type.Namespace?.StartsWith("CdnProxy", StringComparison.Ordinal) == true
            ? [type, .. type.Assembly.GetTypes().Where(t => t.IsSubclassOf(type) && t.IsPublic)]
            : [type];

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + ":" + name;

    private static string Prefix(IReadOnlyList<string> segments, int last) => string.Join(':', segments.Take(last + 1));

    private static bool IsValue(Type type) =>
        type == typeof(string) || type.IsPrimitive || type.IsEnum || TypeDescriptor.GetConverter(type).CanConvertFrom(typeof(string));

    private static Type? DictionaryValueType(Type type) =>
        GenericInterface(type, typeof(IDictionary<,>)) is { } dictionary && dictionary.GetGenericArguments()[0] == typeof(string)
            ? dictionary.GetGenericArguments()[1]
            : null;

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : typeof(IEnumerable).IsAssignableFrom(type) ? GenericInterface(type, typeof(IEnumerable<>))?.GetGenericArguments()[0]
        : null;

    private static Type? GenericInterface(Type type, Type definition) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == definition
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == definition);
}
