"""Strict YAML reading: duplicate keys are errors, and every mapping and list remembers the line of
each of its entries so that a validation error can say where it is."""

from __future__ import annotations

import yaml

from .errors import DataError


class LineDict(dict):
    """A mapping that knows the 1-based line of itself and of each key."""

    line: int = 0
    key_lines: dict


class LineList(list):
    line: int = 0
    item_lines: list


class _StrictLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise DataError(loader.name, "", f"一个键不是简单值（第{key_node.start_mark.line + 1}行）",
                            key_node.start_mark.line + 1) from None
        if key in result:
            raise DataError(loader.name, str(key),
                            f"重复的键 {key!r}（第{result.key_lines[key]}行已出现）",
                            key_node.start_mark.line + 1)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _StrictLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _construct_timestamp(loader: _StrictLoader, node: yaml.ScalarNode):
    """A date-looking scalar that is no real date (2021-02-30) stays text, so that the schema reports
    it with its key path instead of PyYAML raising a bare ValueError."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_yaml(path, display_name: str):
    """Parse one YAML file strictly. Raises DataError naming the file (and line) on any problem."""
    try:
        text = open(path, encoding="utf-8").read()
    except UnicodeDecodeError as exc:
        raise DataError(display_name, "", f"不是 UTF-8 编码的文本：{exc}") from None
    loader = _StrictLoader(text)
    loader.name = display_name
    try:
        return loader.get_single_data()
    except DataError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        message = f"YAML 格式错误：{exc.problem or exc}"
        if exc.context and exc.context_mark and exc.context_mark.line + 1 != line:
            # e.g. an unclosed [ : the parser notices on a later line; say where the trouble began.
            message += f"（{exc.context}，始于第{exc.context_mark.line + 1}行）"
        raise DataError(display_name, "", message, line) from None
    except yaml.YAMLError as exc:
        raise DataError(display_name, "", f"YAML 格式错误：{exc}") from None
    except (ValueError, TypeError, OverflowError) as exc:  # a scalar PyYAML cannot construct
        raise DataError(display_name, "", f"YAML 内容无法读取：{exc}") from None
    finally:
        loader.dispose()
